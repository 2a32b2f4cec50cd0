using System.ComponentModel.DataAnnotations;
using Handoff.Domain.Settings;

namespace Handoff.Server.Hosting;

/// <summary>Where the host listens and what it stores on. Bound from configuration section "Handoff:Server".</summary>
public sealed class HandoffServerOptions
{
    public const string Section = "Handoff:Server";

    /// <summary>Plain gRPC: HTTP/2 (cleartext for http://, TLS for https://, see <see cref="Tls"/>).</summary>
    public string GrpcUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>gRPC-Web for browsers: HTTP/1.1 (and HTTP/2 for https://).</summary>
    public string GrpcWebUrl { get; set; } = "http://127.0.0.1:5081";

    /// <summary>
    /// The operations listener: Prometheus <c>/metrics</c> and, in Development, the token endpoint. Only on loopback by
    /// default: it is not meant for browsers or for the internet.
    /// </summary>
    public string ManagementUrl { get; set; } = "http://127.0.0.1:5082";

    /// <summary>Serve gRPC server reflection (for grpcurl, Postman, buf curl). Empty: on in Development only.</summary>
    public bool? Reflection { get; set; }

    /// <summary>The certificate of the https:// listeners.</summary>
    public TlsOptions Tls { get; set; } = new();

    /// <summary>
    /// A folder of secrets mounted as files, one setting per file named by its key with '__' for ':' (docker compose and
    /// Kubernetes secrets): /run/secrets/Handoff__Auth__SigningKey sets Handoff:Auth:SigningKey. Read when it exists,
    /// below environment variables and the command line, which may still override it.
    /// </summary>
    public string SecretsPath { get; set; } = "/run/secrets";

    /// <summary>Browser origins allowed to call over gRPC-Web.</summary>
    public string[] CorsOrigins { get; set; } = ["http://localhost:5173", "http://127.0.0.1:5173"];

    public StorageOptions Storage { get; set; } = new();

    public SiloOptions Silo { get; set; } = new();
}

/// <summary>Where grain state (and, on PostgreSQL, cluster membership and reminders) is stored.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file; one silo. The default: nothing to install.</summary>
    Sqlite = 1,

    /// <summary>A PostgreSQL database shared by every silo of the cluster.</summary>
    PostgreSql = 2,
}

public sealed class StorageOptions
{
    [EnumDataType(typeof(StorageProvider))]
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>The SQLite database file, relative to the working directory unless rooted.</summary>
    public string SqlitePath { get; set; } = "data/handoff.db";

    /// <summary>
    /// An Npgsql connection string (Host=...;Port=...;Database=...;Username=...;Password=...), used when
    /// <see cref="Provider"/> is PostgreSql. Pool and statement-preparation defaults are added when absent (docs/storage.md).
    /// </summary>
    public string PostgreSqlConnectionString { get; set; } = "";

    /// <summary>
    /// PostgreSQL only: apply deploy/postgresql/handoff-postgresql.sql at start-up (idempotent). When false, a database
    /// without the schema stops the start-up. SQLite always creates its schema in a new file.
    /// </summary>
    public bool ApplySchema { get; set; }

    /// <summary>PostgreSQL only: how long the start-up check may wait for the server before it gives up.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);
}

public sealed class SiloOptions : IValidatableObject
{
    public string ClusterId { get; set; } = "handoff";

    /// <summary>
    /// PostgreSQL only (SQLite runs one silo on localhost): the address other silos and clients reach this silo at,
    /// as written to the membership table. Every silo of a cluster needs its own reachable address.
    /// </summary>
    public string AdvertisedIPAddress { get; set; } = "127.0.0.1";

    /// <summary>PostgreSQL only: listen on every local address rather than only the advertised one (containers, NAT).</summary>
    public bool ListenOnAnyHostAddress { get; set; }

    public string ServiceId { get; set; } = "handoff";

    /// <summary>Silo-to-silo port.</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port for external Orleans clients.</summary>
    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Grains idle this long are deactivated; their state stays stored.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan GrainIdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Deactivate the least recently used grains when the process nears its memory limit (the container's, or
    /// DOTNET_GCHeapHardLimit), instead of running out: a contact that goes is rebuilt from its checkpoint and the event
    /// journal when next asked for. Orleans' activation shedding, with the thresholds below.
    /// </summary>
    public bool ShedGrainsOnMemoryPressure { get; set; } = true;

    /// <summary>Memory use, in percent of the limit, at which grains start to be deactivated.</summary>
    [Range(1.0, 100.0)]
    public double MemoryUsageLimitPercentage { get; set; } = 80;

    /// <summary>Memory use, in percent of the limit, that shedding brings the process back to.</summary>
    [Range(1.0, 100.0)]
    public double MemoryUsageTargetPercentage { get; set; } = 70;

    /// <summary>
    /// Running as pods of a Kubernetes Deployment: turns on the Orleans Kubernetes hosting integration (silo name and
    /// advertised address from the pod, pods of dead silos removed). Needs the pod environment described in deploy/README.md.
    /// </summary>
    public bool Kubernetes { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        SettingOrder.AtMost(nameof(MemoryUsageTargetPercentage), MemoryUsageTargetPercentage, nameof(MemoryUsageLimitPercentage), MemoryUsageLimitPercentage);
}

/// <summary>Ingest limits. Bound from configuration section "Handoff:Ingest".</summary>
public sealed class IngestOptions : IValidatableObject
{
    public const string Section = "Handoff:Ingest";

    /// <summary>Events per batch; a larger batch is refused whole with INVALID_ARGUMENT.</summary>
    [Range(1, 10000)]
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Events dated further ahead of the server clock than this are refused.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest inbound text kept per event.</summary>
    [Range(1, 1000000)]
    public int MaxTextLength { get; set; } = 8000;

    /// <summary>
    /// How long a contact's part of a batch keeps being tried again while the silo holding the contact is going away
    /// (a shutdown or a crash under way) until the cluster has moved the contact elsewhere. Safe because ingest is
    /// idempotent by event id.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan SiloUnavailableRetryFor { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause before the first such retry; it doubles with every further one up to <see cref="SiloUnavailableMaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan SiloUnavailableRetryDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan SiloUnavailableMaxRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Batches of one IngestEvents stream being processed at once. Acknowledgements still leave in order; past it the
    /// server stops reading the stream, and HTTP/2 flow control slows the sender.
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatchesInFlightPerStream { get; set; } = 4;

    /// <summary>
    /// The most batches processed at once in this server, over all streams and calls: what bounds its memory under any
    /// number of clients. Below it, the number follows the server's latency (<see cref="AdaptiveLimitOptions"/>).
    /// Streams wait for a place; IngestBatch waits <see cref="AdmissionWait"/> and then answers RESOURCE_EXHAUSTED with
    /// a retry hint.
    /// </summary>
    [Range(1, 100000)]
    public int MaxBatchesInFlight { get; set; } = 64;

    /// <summary>Attributes one event may carry; an event with more is rejected (reported in the acknowledgement).</summary>
    [Range(0, 1000)]
    public int MaxAttributesPerEvent { get; set; } = 32;

    [Range(1, 10000)]
    public int MaxAttributeKeyLength { get; set; } = 64;

    [Range(1, 1000000)]
    public int MaxAttributeValueLength { get; set; } = 1000;

    /// <summary>How long an IngestBatch call waits for a place among <see cref="MaxBatchesInFlight"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan AdmissionWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The retry delay suggested to an IngestBatch caller turned away (google.rpc.RetryInfo).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How often the event journal forgets events older than the dedupe window (and the clock skew allowed).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan JournalPruneInterval { get; set; } = TimeSpan.FromHours(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        SettingOrder.AtMost(nameof(SiloUnavailableRetryDelay), SiloUnavailableRetryDelay, nameof(SiloUnavailableMaxRetryDelay), SiloUnavailableMaxRetryDelay);
}

/// <summary>
/// What a silo does after a crash: wakes the contacts that were busy just before it, so that a card's notification,
/// index entry or escalation reminder stored with the card but not yet delivered goes out. Bound from configuration
/// section "Handoff:Recovery".
/// </summary>
public sealed class RecoveryOptions : IValidatableObject
{
    public const string Section = "Handoff:Recovery";

    /// <summary>
    /// How far back from the crash the contacts are woken: those with events journaled this long before the last event
    /// journaled (at start-up), or before the crash was noticed (a silo of the cluster declared dead, which takes
    /// Orleans about half a minute). It must cover a delivery that was under way, retries included.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Contacts being woken at once, so that recovery stays background work beside live traffic.</summary>
    [Range(1, 10000)]
    public int MaxConcurrentWakes { get; set; } = 16;

    /// <summary>How long a contact's wake-up is tried again while the cluster settles after the crash (a silo unavailable, a timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan WakeRetryFor { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Pause before the first such retry; it doubles with every further one up to <see cref="MaxWakeRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan WakeRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan MaxWakeRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        SettingOrder.AtMost(nameof(WakeRetryDelay), WakeRetryDelay, nameof(MaxWakeRetryDelay), MaxWakeRetryDelay);
}

/// <summary>Paging and id limits every API shares. Bound from configuration section "Handoff:Api".</summary>
public sealed class ApiOptions : IValidatableObject
{
    public const string Section = "Handoff:Api";

    [Range(1, 10000)]
    public int DefaultPageSize { get; set; } = 50;

    [Range(1, 10000)]
    public int MaxPageSize { get; set; } = 500;

    [Range(1, 10000)]
    public int MaxIdLength { get; set; } = 256;

    [Range(1, 1000000)]
    public int MaxMessageBodyLength { get; set; } = 20000;

    /// <summary>Sequence numbers one MarkNotificationsRead call may name (up_to_sequence marks any number at once).</summary>
    [Range(1, 100000)]
    public int MaxSequencesPerMark { get; set; } = 1000;

    /// <summary>The largest request message accepted, in bytes; a larger one is refused RESOURCE_EXHAUSTED before it is read.</summary>
    [Range(1024, 67108864)]
    public int MaxReceiveMessageSize { get; set; } = 4 * 1024 * 1024;

    /// <summary>Stack traces written at warning or error level per minute; past it, failures are logged in one line each and counted.</summary>
    [Range(0, 10000)]
    public int StackTracesPerMinute { get; set; } = 10;

    /// <summary>How often a notification stream renews its subscription with the inbox.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan WatchRenewInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a notification stream that ended keeps its observer, so that a push already on its way when it
    /// unsubscribed still finds it (and is dropped) rather than being logged as a message to nowhere.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan WatchObserverGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>On shutdown, how long running calls may take to finish before the silo leaves regardless.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownDrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>A notification stream sends a heartbeat after this long without sending anything else.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan WatchHeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A subscriber that does not take a message within this time is cut off as too slow.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan WatchWriteTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Live entries (notifications and changes) buffered per stream; what does not fit is read from the inbox once the
    /// stream has sent the rest, so a burst (a whole inbox marked read) costs reads, not the subscriber.
    /// </summary>
    [Range(1, 1000000)]
    public int WatchBufferSize { get; set; } = 1000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        SettingOrder.AtMost(nameof(DefaultPageSize), DefaultPageSize, nameof(MaxPageSize), MaxPageSize);
}

/// <summary>How the host is observed: metrics export and log format. Bound from configuration section "Handoff:Observability".</summary>
public sealed class ObservabilityOptions
{
    public const string Section = "Handoff:Observability";

    /// <summary>Serve the metrics in the Prometheus text format at <c>/metrics</c> on the management listener (Handoff:Server:ManagementUrl).</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>
    /// Push the metrics to an OpenTelemetry collector at this URL (e.g. http://otel-collector:4317 for gRPC,
    /// http://otel-collector:4318 for HTTP/protobuf). Empty: no push.
    /// </summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>
    /// The OTLP transport: <c>Grpc</c> (port 4317) or <c>HttpProtobuf</c> (port 4318; "/v1/metrics" is added to an
    /// endpoint without a path).
    /// </summary>
    [EnumDataType(typeof(OtlpTransport))]
    public OtlpTransport OtlpProtocol { get; set; } = OtlpTransport.Grpc;

    /// <summary>How often the metrics are pushed to <see cref="OtlpEndpoint"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "01:00:00")]
    public TimeSpan OtlpExportInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The service.name resource attribute of exported metrics (service.instance.id is generated per process).</summary>
    public string ServiceName { get; set; } = "handoff";

    /// <summary>Write console logs as one JSON object per line (with scopes) instead of the human-readable format.</summary>
    public bool JsonLogs { get; set; }
}

/// <summary>How metrics reach an OpenTelemetry collector.</summary>
public enum OtlpTransport
{
    Grpc = 1,
    HttpProtobuf = 2,
}
