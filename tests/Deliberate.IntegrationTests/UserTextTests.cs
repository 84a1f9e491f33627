using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Bidirectional override and isolate controls in what people send are dropped: "晚上很黑\u202E反向文字" showed on the
/// phone as "晚上很黑字文向反", and would in a notice or the minutes too.
/// </summary>
public sealed class UserTextTests : AppTest
{
    [Fact]
    public async Task Bidi_override_and_isolate_controls_are_dropped_from_what_a_resident_writes_and_the_rest_is_kept()
    {
        var resident = await As("resident");
        var raised = await resident.PostJsonAsync("/api/matters", new
        {
            title = "路灯\u2067不亮\u2069", description = "晚上很黑\u202E反向文字", category = "facilities", gridId = XingfuliGrid1,
        });

        var matter = await resident.GetJsonAsync($"/api/matters/{raised["id"]}");
        Assert.Equal("路灯不亮", matter["title"]!.GetValue<string>());
        Assert.Equal("晚上很黑反向文字", matter["description"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bidi_marks_the_right_to_left_and_left_to_right_marks_and_the_arabic_letter_mark_are_dropped_too()
    {
        var resident = await As("resident");
        var raised = await resident.PostJsonAsync("/api/matters", new
        {
            title = "路灯\u200F不亮", description = "晚上\u200E很黑\u061C，请修", category = "facilities", gridId = XingfuliGrid1,
        });

        var matter = await resident.GetJsonAsync($"/api/matters/{raised["id"]}");
        Assert.Equal("路灯不亮", matter["title"]!.GetValue<string>());
        Assert.Equal("晚上很黑，请修", matter["description"]!.GetValue<string>());
    }
}
