using System.Buffers;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;

namespace Handoff.Server.Validation;

/// <summary>
/// Collects every problem of a request, then fails it once with INVALID_ARGUMENT and a google.rpc.BadRequest
/// naming each offending field, so a client can point at the exact input.
/// </summary>
/// <remarks>
/// Built for one element of a repeated field (<paramref name="element"/>: the field and the index), every field it
/// checks is named inside that element (<c>events[3].contact_id</c>); the name is composed only when a check fails, so
/// validating a valid element allocates nothing but the validator.
/// </remarks>
public sealed partial class RequestValidator(Hosting.ApiOptions limits, (string Field, int Index)? element = null)
{
    // The range google.protobuf.Timestamp allows: 0001-01-01 to 9999-12-31.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;

    // What char.IsControl accepts: C0, DEL and C1.
    private static readonly SearchValues<char> ControlCharacters =
        SearchValues.Create([.. Enumerable.Range(0, char.MaxValue + 1).Select(c => (char)c).Where(char.IsControl)]);

    private List<BadRequest.Types.FieldViolation>? violations;

    public IReadOnlyList<BadRequest.Types.FieldViolation> Violations => violations ?? [];

    public bool IsValid => violations is null;

    public RequestValidator TenantId(string value, string field = "tenant_id")
    {
        if (value.Length == 0)
        {
            return Fail(field, "is required");
        }

        return TenantIdPattern().IsMatch(value)
            ? this
            : Fail(field, "must be 1 to 64 letters, digits, '.', '_' or '-'");
    }

    /// <summary>The tenant and contact every contact-scoped request names.</summary>
    public RequestValidator Contact(string tenantId, string contactId) => TenantId(tenantId).Id(contactId, "contact_id");

    /// <summary>A required opaque id: non-empty, bounded, printable.</summary>
    public RequestValidator Id(string value, string field) =>
        value.Length == 0 ? Fail(field, "is required") : OptionalId(value, field);

    /// <summary>An opaque id that may be empty.</summary>
    public RequestValidator OptionalId(string value, string field)
    {
        if (value.Length > limits.MaxIdLength)
        {
            return Fail(field, $"must be at most {limits.MaxIdLength} characters");
        }

        return value.AsSpan().ContainsAny(ControlCharacters) ? Fail(field, "must not contain control characters") : this;
    }

    /// <summary>An enum that must name a value: not UNSPECIFIED and known to this server.</summary>
    public RequestValidator Specified<T>(T value, string field) where T : struct, System.Enum =>
        // Compared with the enum's zero without boxing it: this runs for every event of every batch.
        EqualityComparer<T>.Default.Equals(value, default)
            ? Fail(field, "is required")
            : Known(value, field);

    /// <summary>An enum that may be UNSPECIFIED but must otherwise be a value this server knows.</summary>
    public RequestValidator Known<T>(T value, string field) where T : struct, System.Enum =>
        System.Enum.IsDefined(value) ? this : Fail(field, $"has unknown value {value}");

    public RequestValidator PageSize(int value, string field = "page_size") =>
        value < 0 || value > limits.MaxPageSize ? Fail(field, $"must be between 0 and {limits.MaxPageSize}") : this;

    public RequestValidator PageToken(string value, out long position, string field = "page_token")
    {
        if (Validation.PageToken.TryDecode(value, out position))
        {
            return this;
        }

        return Fail(field, "is not a token this server returned");
    }

    public RequestValidator Time(Timestamp? value, string field, bool required)
    {
        if (value is null)
        {
            return required ? Fail(field, "is required") : this;
        }

        return value.Seconds < MinTimestampSeconds || value.Seconds > MaxTimestampSeconds || value.Nanos is < 0 or > 999_999_999
            ? Fail(field, "is not a valid timestamp")
            : this;
    }

    public RequestValidator Check(bool condition, string field, string description) =>
        condition ? this : Fail(field, description);

    public RequestValidator Fail(string field, string description)
    {
        var name = element is var (repeated, index) ? $"{repeated}[{index}].{field}" : field;
        (violations ??= []).Add(new BadRequest.Types.FieldViolation { Field = name, Description = description });
        return this;
    }

    public void ThrowIfInvalid()
    {
        if (violations is null)
        {
            return;
        }

        var message = string.Join("; ", violations.Select(v => $"{v.Field} {v.Description}"));
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.InvalidArgument,
            Message = message,
            Details = { Any.Pack(new BadRequest { FieldViolations = { violations } }) },
        };
        throw status.ToRpcException();
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex TenantIdPattern();
}
