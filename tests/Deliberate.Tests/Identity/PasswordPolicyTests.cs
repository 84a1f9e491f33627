using Deliberate.Server.Identity;

namespace Deliberate.Tests.Identity;

public sealed class PasswordPolicyTests
{
    [Fact]
    public void The_shipped_list_holds_ten_thousand_common_passwords() => Assert.Equal(10_000, PasswordPolicy.CommonCount);

    [Theory]
    [InlineData("short1!")]          // too short
    [InlineData("1234567890")]       // common
    [InlineData("QWERTYUIOP")]       // common, whatever the case
    [InlineData("zhaowang-2026!")]   // holds the user name
    [InlineData("x-赵网格-2026-y")]   // holds the display name
    public void Weak_passwords_are_refused(string password) => Assert.NotEmpty(PasswordPolicy.Check(password, "zhaowang", "赵网格"));

    [Fact]
    public void A_long_uncommon_password_without_the_names_passes() =>
        Assert.Empty(PasswordPolicy.Check("Qingshui-river-2026", "zhaowang", "赵网格"));

    [Fact]
    public void Generated_one_time_passwords_pass_the_policy_and_differ() =>
        Assert.All(Enumerable.Range(0, 50).Select(_ => PasswordPolicy.Generate()).Distinct().ToList(),
            p => Assert.Empty(PasswordPolicy.Check(p, "someone", "某人")));
}
