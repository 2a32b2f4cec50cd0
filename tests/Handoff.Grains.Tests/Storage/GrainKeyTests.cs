namespace Handoff.Grains.Tests.Storage;

/// <summary>How a tenant's ids become grain keys: reversibly, and never with a brace, which Orleans' ADO.NET storage cannot write.</summary>
public sealed class GrainKeyTests
{
    [Theory]
    [InlineData("c-1")]
    [InlineData("{3F2504E0-4F89-11D3-9A0C-0305E82C3301}")]
    [InlineData("a}{b{{0}}")]
    [InlineData("with/slash")]
    [InlineData("")]
    public void An_id_comes_back_from_its_key_and_the_key_holds_no_brace(string id)
    {
        var key = GrainKeys.For("tenant-1", id);

        Assert.Equal(("tenant-1", id), GrainKeys.Parse(key));
        Assert.DoesNotContain('{', key);
        Assert.DoesNotContain('}', key);
    }

    [Fact]
    public void An_id_without_braces_is_its_key_as_keys_were_stored_before()
    {
        Assert.Equal("tenant-1/crm-42", GrainKeys.For("tenant-1", "crm-42"));
    }

    [Fact]
    public void Ids_that_differ_only_in_their_braces_have_different_keys()
    {
        Assert.NotEqual(GrainKeys.For("t", "{a}"), GrainKeys.For("t", "}a{"));
        Assert.NotEqual(GrainKeys.For("t", "{a}"), GrainKeys.For("t", "a"));
    }
}
