/*
 * Column lists of the built-in tables, as X-macros, so that the schema arrays and the column
 * index enums used by readers come from one list and cannot drift apart.
 *
 * CommonSecurityLog follows the column order and types of Microsoft's own schema file for the
 * table (Azure/Azure-Sentinel, .script/tests/KqlvalidationsTests/CustomTables/
 * CommonSecurityLog.json), where BigInt is long and Float is real.
 */
#ifndef FOXHOUND_SCHEMA_BUILTIN_H
#define FOXHOUND_SCHEMA_BUILTIN_H

#include "foxhound/table.h"

/* X(column name, fh_type suffix) */
#define FH_CSL_COLUMNS(X)                                                                          \
    X(TimeGenerated, DATETIME)                                                                     \
    X(DeviceVendor, STRING)                                                                        \
    X(DeviceProduct, STRING)                                                                       \
    X(DeviceVersion, STRING)                                                                       \
    X(DeviceEventClassID, STRING)                                                                  \
    X(Activity, STRING)                                                                            \
    X(LogSeverity, STRING)                                                                         \
    X(OriginalLogSeverity, STRING)                                                                 \
    X(AdditionalExtensions, STRING)                                                                \
    X(DeviceAction, STRING)                                                                        \
    X(ApplicationProtocol, STRING)                                                                 \
    X(EventCount, INT)                                                                             \
    X(DestinationDnsDomain, STRING)                                                                \
    X(DestinationServiceName, STRING)                                                              \
    X(DestinationTranslatedAddress, STRING)                                                        \
    X(DestinationTranslatedPort, INT)                                                              \
    X(CommunicationDirection, STRING)                                                              \
    X(DeviceDnsDomain, STRING)                                                                     \
    X(DeviceExternalID, STRING)                                                                    \
    X(DeviceFacility, STRING)                                                                      \
    X(DeviceInboundInterface, STRING)                                                              \
    X(DeviceNtDomain, STRING)                                                                      \
    X(DeviceOutboundInterface, STRING)                                                             \
    X(DevicePayloadId, STRING)                                                                     \
    X(ProcessName, STRING)                                                                         \
    X(DeviceTranslatedAddress, STRING)                                                             \
    X(DestinationHostName, STRING)                                                                 \
    X(DestinationMACAddress, STRING)                                                               \
    X(DestinationNTDomain, STRING)                                                                 \
    X(DestinationProcessId, INT)                                                                   \
    X(DestinationUserPrivileges, STRING)                                                           \
    X(DestinationProcessName, STRING)                                                              \
    X(DestinationPort, INT)                                                                        \
    X(DestinationIP, STRING)                                                                       \
    X(DeviceTimeZone, STRING)                                                                      \
    X(DestinationUserID, STRING)                                                                   \
    X(DestinationUserName, STRING)                                                                 \
    X(DeviceAddress, STRING)                                                                       \
    X(DeviceName, STRING)                                                                          \
    X(DeviceMacAddress, STRING)                                                                    \
    X(ProcessID, INT)                                                                              \
    X(EndTime, DATETIME)                                                                           \
    X(ExternalID, INT)                                                                             \
    X(ExtID, STRING)                                                                               \
    X(FileCreateTime, STRING)                                                                      \
    X(FileHash, STRING)                                                                            \
    X(FileID, STRING)                                                                              \
    X(FileModificationTime, STRING)                                                                \
    X(FilePath, STRING)                                                                            \
    X(FilePermission, STRING)                                                                      \
    X(FileType, STRING)                                                                            \
    X(FileName, STRING)                                                                            \
    X(FileSize, INT)                                                                               \
    X(ReceivedBytes, LONG)                                                                         \
    X(Message, STRING)                                                                             \
    X(OldFileCreateTime, STRING)                                                                   \
    X(OldFileHash, STRING)                                                                         \
    X(OldFileID, STRING)                                                                           \
    X(OldFileModificationTime, STRING)                                                             \
    X(OldFileName, STRING)                                                                         \
    X(OldFilePath, STRING)                                                                         \
    X(OldFilePermission, STRING)                                                                   \
    X(OldFileSize, INT)                                                                            \
    X(OldFileType, STRING)                                                                         \
    X(SentBytes, LONG)                                                                             \
    X(EventOutcome, STRING)                                                                        \
    X(Protocol, STRING)                                                                            \
    X(Reason, STRING)                                                                              \
    X(RequestURL, STRING)                                                                          \
    X(RequestClientApplication, STRING)                                                            \
    X(RequestContext, STRING)                                                                      \
    X(RequestCookies, STRING)                                                                      \
    X(RequestMethod, STRING)                                                                       \
    X(ReceiptTime, STRING)                                                                         \
    X(SourceHostName, STRING)                                                                      \
    X(SourceMACAddress, STRING)                                                                    \
    X(SourceNTDomain, STRING)                                                                      \
    X(SourceDnsDomain, STRING)                                                                     \
    X(SourceServiceName, STRING)                                                                   \
    X(SourceTranslatedAddress, STRING)                                                             \
    X(SourceTranslatedPort, INT)                                                                   \
    X(SourceProcessId, INT)                                                                        \
    X(SourceUserPrivileges, STRING)                                                                \
    X(SourceProcessName, STRING)                                                                   \
    X(SourcePort, INT)                                                                             \
    X(SourceIP, STRING)                                                                            \
    X(StartTime, DATETIME)                                                                         \
    X(SourceUserID, STRING)                                                                        \
    X(SourceUserName, STRING)                                                                      \
    X(EventType, INT)                                                                              \
    X(DeviceEventCategory, STRING)                                                                 \
    X(DeviceCustomIPv6Address1, STRING)                                                            \
    X(DeviceCustomIPv6Address1Label, STRING)                                                       \
    X(DeviceCustomIPv6Address2, STRING)                                                            \
    X(DeviceCustomIPv6Address2Label, STRING)                                                       \
    X(DeviceCustomIPv6Address3, STRING)                                                            \
    X(DeviceCustomIPv6Address3Label, STRING)                                                       \
    X(DeviceCustomIPv6Address4, STRING)                                                            \
    X(DeviceCustomIPv6Address4Label, STRING)                                                       \
    X(DeviceCustomFloatingPoint1, REAL)                                                            \
    X(DeviceCustomFloatingPoint1Label, STRING)                                                     \
    X(DeviceCustomFloatingPoint2, REAL)                                                            \
    X(DeviceCustomFloatingPoint2Label, STRING)                                                     \
    X(DeviceCustomFloatingPoint3, REAL)                                                            \
    X(DeviceCustomFloatingPoint3Label, STRING)                                                     \
    X(DeviceCustomFloatingPoint4, REAL)                                                            \
    X(DeviceCustomFloatingPoint4Label, STRING)                                                     \
    X(DeviceCustomNumber1, INT)                                                                    \
    X(FieldDeviceCustomNumber1, LONG)                                                              \
    X(DeviceCustomNumber1Label, STRING)                                                            \
    X(DeviceCustomNumber2, INT)                                                                    \
    X(FieldDeviceCustomNumber2, LONG)                                                              \
    X(DeviceCustomNumber2Label, STRING)                                                            \
    X(DeviceCustomNumber3, INT)                                                                    \
    X(FieldDeviceCustomNumber3, LONG)                                                              \
    X(DeviceCustomNumber3Label, STRING)                                                            \
    X(DeviceCustomString1, STRING)                                                                 \
    X(DeviceCustomString1Label, STRING)                                                            \
    X(DeviceCustomString2, STRING)                                                                 \
    X(DeviceCustomString2Label, STRING)                                                            \
    X(DeviceCustomString3, STRING)                                                                 \
    X(DeviceCustomString3Label, STRING)                                                            \
    X(DeviceCustomString4, STRING)                                                                 \
    X(DeviceCustomString4Label, STRING)                                                            \
    X(DeviceCustomString5, STRING)                                                                 \
    X(DeviceCustomString5Label, STRING)                                                            \
    X(DeviceCustomString6, STRING)                                                                 \
    X(DeviceCustomString6Label, STRING)                                                            \
    X(DeviceCustomDate1, STRING)                                                                   \
    X(DeviceCustomDate1Label, STRING)                                                              \
    X(DeviceCustomDate2, STRING)                                                                   \
    X(DeviceCustomDate2Label, STRING)                                                              \
    X(FlexDate1, STRING)                                                                           \
    X(FlexDate1Label, STRING)                                                                      \
    X(FlexNumber1, INT)                                                                            \
    X(FlexNumber1Label, STRING)                                                                    \
    X(FlexNumber2, INT)                                                                            \
    X(FlexNumber2Label, STRING)                                                                    \
    X(FlexString1, STRING)                                                                         \
    X(FlexString1Label, STRING)                                                                    \
    X(FlexString2, STRING)                                                                         \
    X(FlexString2Label, STRING)                                                                    \
    X(RemoteIP, STRING)                                                                            \
    X(RemotePort, STRING)                                                                          \
    X(MaliciousIP, STRING)                                                                         \
    X(ThreatSeverity, INT)                                                                         \
    X(IndicatorThreatType, STRING)                                                                 \
    X(ThreatDescription, STRING)                                                                   \
    X(ThreatConfidence, STRING)                                                                    \
    X(ReportReferenceLink, STRING)                                                                 \
    X(MaliciousIPLongitude, REAL)                                                                  \
    X(MaliciousIPLatitude, REAL)                                                                   \
    X(MaliciousIPCountry, STRING)                                                                  \
    X(Computer, STRING)                                                                            \
    X(SourceSystem, STRING)                                                                        \
    X(SimplifiedDeviceAction, STRING)                                                              \
    X(CollectorHostName, STRING)                                                                   \
    X(TenantId, STRING)                                                                            \
    X(Type, STRING)                                                                                \
    X(_ResourceId, STRING)                                                                         \
    X(_SubscriptionId, STRING)                                                                     \
    X(_BilledSize, REAL)                                                                           \
    X(_IsBillable, STRING)                                                                         \
    X(_ItemId, STRING)

/* Index of each CommonSecurityLog column, such as CSL_SourceIP. */
enum fh_csl_column {
#define FH_CSL_ENUM(name, type) CSL_##name,
    FH_CSL_COLUMNS(FH_CSL_ENUM)
#undef FH_CSL_ENUM
        CSL_COLUMN_COUNT
};

#endif
