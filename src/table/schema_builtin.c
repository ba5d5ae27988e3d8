/*
 * The built-in table schemas: Sentinel's CommonSecurityLog and the Defender XDR tables
 * DeviceNetworkEvents, DeviceFileEvents and DeviceProcessEvents.
 *
 * The Defender tables list the columns of Microsoft's advanced-hunting reference pages
 * (MicrosoftDocs/defender-docs, defender-xdr/advanced-hunting-device*events-table.md, 2024) in
 * their order, then the columns that the tables gain when streamed into a Sentinel workspace:
 * TenantId, TimeGenerated, SourceSystem, Type and MachineGroup. AdditionalFields is dynamic, as
 * in the Sentinel schema, because it contains JSON text; tostring() still returns that text.
 */
#include <stddef.h>
#include <string.h>

#include "foxhound/table.h"
#include "table/schema_builtin.h"

#define COLUMN(name, type) {#name, FH_TYPE_##type},
#define COUNT_OF(array) (sizeof(array) / sizeof((array)[0]))

static fh_column csl_columns[] = {FH_CSL_COLUMNS(COLUMN)};

/* Columns that every Defender device table starts with. */
#define DEFENDER_LEAD(X)                                                                           \
    X(Timestamp, DATETIME)                                                                         \
    X(DeviceId, STRING)                                                                            \
    X(DeviceName, STRING)                                                                          \
    X(ActionType, STRING)

/* Columns that a Defender table gains in a Sentinel workspace. */
#define SENTINEL_TAIL(X)                                                                           \
    X(TenantId, STRING)                                                                            \
    X(TimeGenerated, DATETIME)                                                                     \
    X(SourceSystem, STRING)                                                                        \
    X(Type, STRING)                                                                                \
    X(MachineGroup, STRING)

#define INITIATING_VERSION_INFO(X)                                                                 \
    X(InitiatingProcessVersionInfoCompanyName, STRING)                                             \
    X(InitiatingProcessVersionInfoProductName, STRING)                                             \
    X(InitiatingProcessVersionInfoProductVersion, STRING)                                          \
    X(InitiatingProcessVersionInfoInternalFileName, STRING)                                        \
    X(InitiatingProcessVersionInfoOriginalFileName, STRING)                                        \
    X(InitiatingProcessVersionInfoFileDescription, STRING)

#define INITIATING_ACCOUNT(X)                                                                      \
    X(InitiatingProcessAccountDomain, STRING)                                                      \
    X(InitiatingProcessAccountName, STRING)                                                        \
    X(InitiatingProcessAccountSid, STRING)                                                         \
    X(InitiatingProcessAccountUpn, STRING)                                                         \
    X(InitiatingProcessAccountObjectId, STRING)

#define REMOTE_SESSION(X)                                                                          \
    X(InitiatingProcessSessionId, LONG)                                                            \
    X(IsInitiatingProcessRemoteSession, BOOL)                                                      \
    X(InitiatingProcessRemoteSessionDeviceName, STRING)                                            \
    X(InitiatingProcessRemoteSessionIP, STRING)

static fh_column network_columns[] = {
    DEFENDER_LEAD(COLUMN) COLUMN(RemoteIP, STRING) COLUMN(RemotePort, INT) COLUMN(RemoteUrl, STRING)
        COLUMN(LocalIP, STRING) COLUMN(LocalPort, INT) COLUMN(Protocol, STRING) COLUMN(
            LocalIPType, STRING) COLUMN(RemoteIPType, STRING) COLUMN(InitiatingProcessSHA1, STRING)
            COLUMN(InitiatingProcessSHA256, STRING) COLUMN(InitiatingProcessMD5, STRING)
                COLUMN(InitiatingProcessFileName, STRING) COLUMN(InitiatingProcessFileSize, LONG)
                    INITIATING_VERSION_INFO(COLUMN) COLUMN(InitiatingProcessId, LONG)
                        COLUMN(InitiatingProcessCommandLine,
                               STRING) COLUMN(InitiatingProcessCreationTime, DATETIME)
                            COLUMN(InitiatingProcessFolderPath, STRING)
                                COLUMN(InitiatingProcessParentFileName, STRING)
                                    COLUMN(InitiatingProcessParentId, LONG)
                                        COLUMN(InitiatingProcessParentCreationTime, DATETIME)
                                            INITIATING_ACCOUNT(COLUMN)
                                                COLUMN(InitiatingProcessIntegrityLevel, STRING)
                                                    COLUMN(InitiatingProcessTokenElevation, STRING)
                                                        COLUMN(ReportId, LONG)
                                                            COLUMN(AppGuardContainerId, STRING)
                                                                COLUMN(AdditionalFields, DYNAMIC)
                                                                    REMOTE_SESSION(COLUMN)
                                                                        SENTINEL_TAIL(COLUMN)};

static fh_column file_columns[] = {
    DEFENDER_LEAD(COLUMN) COLUMN(FileName, STRING) COLUMN(FolderPath, STRING) COLUMN(
        SHA1, STRING) COLUMN(SHA256, STRING) COLUMN(MD5, STRING) COLUMN(FileOriginUrl, STRING)
        COLUMN(FileOriginReferrerUrl, STRING) COLUMN(FileOriginIP, STRING) COLUMN(
            PreviousFolderPath, STRING) COLUMN(PreviousFileName, STRING) COLUMN(FileSize, LONG)
            INITIATING_ACCOUNT(COLUMN) COLUMN(InitiatingProcessMD5, STRING) COLUMN(
                InitiatingProcessSHA1, STRING) COLUMN(InitiatingProcessSHA256, STRING)
                COLUMN(InitiatingProcessFolderPath, STRING) COLUMN(InitiatingProcessFileName,
                                                                   STRING)
                    COLUMN(InitiatingProcessFileSize, LONG) INITIATING_VERSION_INFO(COLUMN) COLUMN(
                        InitiatingProcessId, LONG) COLUMN(InitiatingProcessCommandLine, STRING)
                        COLUMN(InitiatingProcessCreationTime,
                               DATETIME) COLUMN(InitiatingProcessIntegrityLevel, STRING)
                            COLUMN(InitiatingProcessTokenElevation, STRING) COLUMN(
                                InitiatingProcessParentId,
                                LONG) COLUMN(InitiatingProcessParentFileName, STRING)
                                COLUMN(InitiatingProcessParentCreationTime, DATETIME) COLUMN(
                                    RequestProtocol, STRING) COLUMN(RequestSourceIP, STRING)
                                    COLUMN(RequestSourcePort, INT) COLUMN(
                                        RequestAccountName,
                                        STRING) COLUMN(RequestAccountDomain, STRING)
                                        COLUMN(RequestAccountSid, STRING) COLUMN(ShareName, STRING)
                                            COLUMN(SensitivityLabel, STRING)
                                                COLUMN(SensitivitySubLabel, STRING)
                                                    COLUMN(IsAzureInfoProtectionApplied, BOOL)
                                                        COLUMN(ReportId, LONG)
                                                            COLUMN(AppGuardContainerId, STRING)
                                                                COLUMN(AdditionalFields, DYNAMIC)
                                                                    REMOTE_SESSION(COLUMN)
                                                                        SENTINEL_TAIL(COLUMN)};

static fh_column process_columns[] = {
    DEFENDER_LEAD(COLUMN) COLUMN(FileName, STRING) COLUMN(FolderPath, STRING) COLUMN(
        SHA1, STRING) COLUMN(SHA256, STRING) COLUMN(MD5, STRING) COLUMN(FileSize, LONG)
        COLUMN(ProcessVersionInfoCompanyName, STRING) COLUMN(
            ProcessVersionInfoProductName, STRING) COLUMN(ProcessVersionInfoProductVersion, STRING)
            COLUMN(ProcessVersionInfoInternalFileName, STRING) COLUMN(
                ProcessVersionInfoOriginalFileName,
                STRING) COLUMN(ProcessVersionInfoFileDescription,
                               STRING) COLUMN(ProcessId, LONG) COLUMN(ProcessCommandLine, STRING)
                COLUMN(ProcessIntegrityLevel, STRING) COLUMN(ProcessTokenElevation, STRING) COLUMN(
                    ProcessCreationTime, DATETIME) COLUMN(AccountDomain,
                                                          STRING) COLUMN(AccountName, STRING)
                    COLUMN(AccountSid, STRING) COLUMN(AccountUpn, STRING) COLUMN(
                        AccountObjectId, STRING) COLUMN(LogonId, LONG)
                        INITIATING_ACCOUNT(COLUMN) COLUMN(InitiatingProcessLogonId, LONG) COLUMN(
                            InitiatingProcessIntegrityLevel,
                            STRING) COLUMN(InitiatingProcessTokenElevation, STRING)
                            COLUMN(InitiatingProcessSHA1,
                                   STRING) COLUMN(InitiatingProcessSHA256,
                                                  STRING) COLUMN(InitiatingProcessMD5, STRING)
                                COLUMN(InitiatingProcessFileName,
                                       STRING) COLUMN(InitiatingProcessFileSize,
                                                      LONG) INITIATING_VERSION_INFO(COLUMN)
                                    COLUMN(InitiatingProcessId,
                                           LONG) COLUMN(InitiatingProcessCommandLine, STRING)
                                        COLUMN(InitiatingProcessCreationTime, DATETIME) COLUMN(
                                            InitiatingProcessFolderPath,
                                            STRING) COLUMN(InitiatingProcessParentId, LONG)
                                            COLUMN(InitiatingProcessParentFileName, STRING) COLUMN(
                                                InitiatingProcessParentCreationTime, DATETIME)
                                                COLUMN(InitiatingProcessSignerType, STRING)
                                                    COLUMN(InitiatingProcessSignatureStatus, STRING)
                                                        COLUMN(ReportId, LONG)
                                                            COLUMN(AppGuardContainerId, STRING)
                                                                COLUMN(AdditionalFields, DYNAMIC)
                                                                    SENTINEL_TAIL(COLUMN)};

static const fh_schema csl_schema = {"CommonSecurityLog", COUNT_OF(csl_columns), csl_columns,
                                     false};
static const fh_schema network_schema = {"DeviceNetworkEvents", COUNT_OF(network_columns),
                                         network_columns, false};
static const fh_schema file_schema = {"DeviceFileEvents", COUNT_OF(file_columns), file_columns,
                                      false};
static const fh_schema process_schema = {"DeviceProcessEvents", COUNT_OF(process_columns),
                                         process_columns, false};

static const fh_schema *const builtin_schemas[] = {
    &csl_schema, &network_schema, &file_schema, &process_schema, NULL,
};

_Static_assert(COUNT_OF(csl_columns) == CSL_COLUMN_COUNT,
               "CommonSecurityLog column enum and schema array differ");

const fh_schema *fh_schema_builtin(const char *table_name)
{
    if (table_name == NULL)
        return NULL;
    for (size_t i = 0; builtin_schemas[i] != NULL; i++) {
        if (strcmp(builtin_schemas[i]->name, table_name) == 0)
            return builtin_schemas[i];
    }
    return NULL;
}

const fh_schema *const *fh_schema_builtins(void)
{
    return builtin_schemas;
}
