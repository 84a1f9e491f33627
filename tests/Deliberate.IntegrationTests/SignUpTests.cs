using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Deliberate.IntegrationTests.Infrastructure;
using Deliberate.Server.Data;
using Deliberate.Server.Organisation;
using Deliberate.Server.SignUp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Deliberate.IntegrationTests;

/// <summary>Residents and owners come in: phone codes through a real HTTP gateway, sign-up, home claims, the verifier's queue, letters.</summary>
public sealed class SignUpTests : AppTest, IDisposable
{
    readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    protected override TimeProvider? Clock => clock;
    readonly SmsReceiver sms = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sms:Url"] = sms.Url,
        ["Sms:Headers:X-Api-Key"] = "test-key",
        ["Sms:Retries"] = "1",
        ["Sms:TimeoutSeconds"] = "5",
    };

    public void Dispose() => sms.Dispose();

    static readonly Guid Xingfuli = DemoData.Ids.Xingfuli;
    static readonly Guid Building1 = DemoData.Ids.Building(DemoData.Ids.Xingfuli, 1);
    static readonly Guid HepingBuilding1 = DemoData.Ids.Building(DemoData.Ids.Heping, 1);
    const string StrongPassword = "Qingshui-lu-88!";

    /// <summary>A unit of the register with one owner who has no account yet (as an import leaves it).</summary>
    async Task<(Guid Unit, Guid Owner)> RegisterUnitAsync(string room, string ownerName, string? phone, string? idLast4, Guid? building = null)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        var b = building ?? Building1;
        var unit = new PropertyUnit(Guid.CreateVersion7(), b, $"{(b == Building1 ? 1 : 9)}-{room}", 95.00m);
        unit.Locate("", room);
        var owner = new Owner(Guid.CreateVersion7(), ownerName);
        owner.Identify(phone, idLast4);
        db.PropertyUnits.Add(unit);
        db.Owners.Add(owner);
        db.UnitOwnerships.Add(new UnitOwnership(unit.Id, owner.Id));
        await db.SaveChangesAsync();
        return (unit.Id, owner.Id);
    }

    async Task<string> CodeSentToAsync(string phone, string purpose = "signUp")
    {
        var before = sms.Count;
        var response = await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone, purpose });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync()); // never the code
        var body = sms.BodyAfter(before);
        var json = JsonNode.Parse(body)!;
        Assert.Equal(phone, json["phone"]!.GetValue<string>());
        return json["code"]!.GetValue<string>();
    }

    /// <summary>Signs up; an owner who means to verify themselves gives their name as the register has it.</summary>
    async Task<HttpClient> SignUpAsync(string phone, string? displayName = null)
    {
        var code = await CodeSentToAsync(phone);
        var created = await App.CreateClient().PostAsJsonAsync("/api/signup", new { phone, code, password = StrongPassword, displayName });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return await SignInAsync(phone, StrongPassword);
    }

    async Task<HttpClient> SignInAsync(string userName, string password)
    {
        var client = App.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = userName, password });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var token = (await response.JsonAsync())["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    static Task<HttpResponseMessage> ClaimAsync(HttpClient client, string room, string relation, string? idLast4 = null, Guid? building = null) =>
        client.PostAsJsonAsync("/api/me/claims", new { buildingId = building ?? Building1, room, relation, idLast4 });

    async Task<JsonNode> OpenBallotAsync() => await OwnersBallots.OpenAsync(App, await As("owners-committee"), new
    {
        title = "是否同意使用公共收益更换1号楼门口路灯",
        rule = "civil-code-278-ordinary",
        kind = "other-major-matter",
        orgUnitId = Xingfuli,
        closesAt = clock.GetUtcNow().AddDays(7),
    });

    [Fact]
    public async Task A_resident_signs_up_with_a_code_the_gateway_delivers_and_signs_in_with_the_phone_number()
    {
        var resident = await SignUpAsync("13912345678");
        var me = await resident.GetJsonAsync("/api/auth/me");
        Assert.Equal("13912345678", me["userName"]!.GetValue<string>());
        Assert.Null(me["ownerId"]);
        Assert.Empty(me["roles"]!.AsArray());
        Assert.Equal("test-key", sms.Headers[^1]["X-Api-Key"]);
        // The same phone again: its code is not even sent, and a sign-up with any code is refused.
        var before = sms.Count;
        clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone = "13912345678" })).StatusCode);
        await sms.NothingAfterAsync(before);
    }

    [Fact]
    public async Task A_code_works_once_for_ten_minutes_and_not_after_five_wrong_tries()
    {
        var anonymous = App.CreateClient();
        var code = await CodeSentToAsync("13900000001");
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < 5; i++)
            await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/signup",
                new { phone = "13900000001", code = wrong, password = StrongPassword }), HttpStatusCode.BadRequest, "badCode");
        // The right code after five wrong ones: refused like a wrong one.
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/signup",
            new { phone = "13900000001", code, password = StrongPassword }), HttpStatusCode.BadRequest, "badCode");

        clock.Advance(TimeSpan.FromMinutes(2));
        var second = await CodeSentToAsync("13900000001");
        clock.Advance(PhoneCode.Lifetime + TimeSpan.FromSeconds(1));
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/signup",
            new { phone = "13900000001", code = second, password = StrongPassword }), HttpStatusCode.BadRequest, "badCode");

        var third = await CodeSentToAsync("13900000001");
        Assert.Equal(HttpStatusCode.Created, (await anonymous.PostAsJsonAsync("/api/signup",
            new { phone = "13900000001", code = third, password = StrongPassword })).StatusCode);
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/signup",
            new { phone = "13900000001", code = third, password = StrongPassword + "x" }), HttpStatusCode.BadRequest, "badCode");
    }

    [Fact]
    public async Task Codes_are_limited_per_phone_and_a_weak_password_is_refused()
    {
        await CodeSentToAsync("13900000002");
        await ProblemAssert.IsProblemAsync(await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone = "13900000002" }),
            HttpStatusCode.TooManyRequests, "codeRateLimited");
        await ProblemAssert.IsProblemAsync(await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone = "12345" }),
            HttpStatusCode.BadRequest, "validation");
        var weak = await App.CreateClient().PostAsJsonAsync("/api/signup", new { phone = "13900000002", code = "123456", password = "password123" });
        await ProblemAssert.IsProblemAsync(weak, HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task An_owner_whose_id_digits_match_the_register_is_verified_at_once_and_votes_but_an_unverified_resident_cannot()
    {
        await RegisterUnitAsync("901", "沈青", "13900000010", "123X");
        var owner = await SignUpAsync("13900000010", "沈青");
        var tenant = await SignUpAsync("13900000011");

        var verified = await (await ClaimAsync(owner, "901", "owner", "123x")).JsonAsync();
        Assert.Equal("verified", verified["status"]!.GetValue<string>());
        Assert.NotNull((await owner.GetJsonAsync("/api/auth/me"))["ownerId"]);
        var pending = await (await ClaimAsync(tenant, "901", "tenant")).JsonAsync();
        Assert.Equal("pending", pending["status"]!.GetValue<string>());

        // Both are residents of the building now: the unverified one may raise a matter.
        await RaiseAsync(tenant, "楼道灯坏了");

        var ballot = await OpenBallotAsync();
        var id = ballot["id"]!.GetValue<string>();
        Assert.True((await owner.PostAsJsonAsync($"/api/ballots/{id}/votes", new { choice = "agree" })).IsSuccessStatusCode);
        var refused = await tenant.PostAsJsonAsync($"/api/ballots/{id}/votes", new { choice = "agree" });
        Assert.False(refused.IsSuccessStatusCode, await refused.Content.ReadAsStringAsync());
        Assert.Equal(1, (await owner.GetJsonAsync($"/api/ballots/{id}"))["participation"]!["heads"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_owner_with_the_right_digits_but_another_phone_than_the_register_waits_for_a_verifier()
    {
        await RegisterUnitAsync("902", "沈红", "13900000020", "5678");
        var stranger = await SignUpAsync("13900000021", "沈红");
        var claim = await (await ClaimAsync(stranger, "902", "owner", "5678")).JsonAsync();
        Assert.Equal("pending", claim["status"]!.GetValue<string>());
        Assert.Null((await stranger.GetJsonAsync("/api/auth/me"))["ownerId"]);
    }

    [Fact]
    public async Task Five_wrong_id_tries_on_a_unit_pause_its_self_verification_and_the_owners_claim_goes_to_the_verifier_instead()
    {
        var (_, ownerId) = await RegisterUnitAsync("903", "沈白", null, "2468");
        var guesser = await SignUpAsync("13900000030");
        for (var i = 0; i < 5; i++)
            await ProblemAssert.IsProblemAsync(await ClaimAsync(guesser, "903", "owner", $"000{i}"), HttpStatusCode.BadRequest, "idMismatch");
        // The sixth try — from another account, with the right digits — is not compared: the count is per unit. It is not refused
        // either: the owner's claim waits for the grid worker, marked so.
        var owner = await SignUpAsync("13900000031", "沈白");
        var claim = await (await ClaimAsync(owner, "903", "owner", "2468")).JsonAsync();
        Assert.Equal("pending", claim["status"]!.GetValue<string>());
        Assert.Contains("自助认证已暂停", claim["note"]!.GetValue<string>());
        Assert.Null((await owner.GetJsonAsync("/api/auth/me"))["ownerId"]);
        // Asking again, or the guesser going on: one line per account and unit in the queue, and still no digits compared.
        var again = await (await ClaimAsync(owner, "903", "owner", "2468")).JsonAsync();
        Assert.Equal(claim["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        for (var i = 0; i < 3; i++)
            Assert.Equal("pending", (await (await ClaimAsync(guesser, "903", "owner", $"246{i}")).JsonAsync())["status"]!.GetValue<string>());
        var worker = await As("gridworker");
        var queue = (await worker.GetJsonAsync("/api/claims")).AsArray().Where(c => c!["unit"]!.GetValue<string>() == "1-903").ToList();
        Assert.Equal(2, queue.Count);
        // The grid worker verifies the owner (who brought the deed to the office).
        var verified = await worker.PostJsonAsync($"/api/claims/{claim["id"]}/verify", new { ownerId });
        Assert.Equal("verified", verified["status"]!.GetValue<string>());
        Assert.Equal(ownerId, (await owner.GetJsonAsync("/api/auth/me"))["ownerId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task After_a_day_the_pause_ends_and_a_pending_owners_claim_verifies_itself_with_the_right_digits()
    {
        await RegisterUnitAsync("914", "沈灰", null, "8642");
        var guesser = await SignUpAsync("13900000033");
        for (var i = 0; i < 5; i++)
            await ProblemAssert.IsProblemAsync(await ClaimAsync(guesser, "914", "owner", $"000{i}"), HttpStatusCode.BadRequest, "idMismatch");
        var owner = await SignUpAsync("13900000034", "沈灰");
        Assert.Equal("pending", (await (await ClaimAsync(owner, "914", "owner", "8642")).JsonAsync())["status"]!.GetValue<string>());
        clock.Advance(ClaimAttempt.Window + TimeSpan.FromMinutes(1));
        owner = await SignInAsync("13900000034", StrongPassword); // the day also outlived the access token
        Assert.Equal("verified", (await (await ClaimAsync(owner, "914", "owner", "8642")).JsonAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_account_is_stopped_after_ten_wrong_id_tries_across_units_and_cannot_lock_a_third_unit()
    {
        await RegisterUnitAsync("910", "沈一", null, "1111");
        await RegisterUnitAsync("911", "沈二", null, "1111");
        await RegisterUnitAsync("912", "沈三", null, "1111");
        var guesser = await SignUpAsync("13900000130");
        foreach (var room in new[] { "910", "911" })
            for (var i = 0; i < 5; i++)
                await ProblemAssert.IsProblemAsync(await ClaimAsync(guesser, room, "owner", $"000{i}"), HttpStatusCode.BadRequest, "idMismatch");
        for (var i = 0; i < 3; i++)
            await ProblemAssert.IsProblemAsync(await ClaimAsync(guesser, "912", "owner", $"000{i}"), HttpStatusCode.TooManyRequests, "claimLocked");
        // The account's stopped tries did not count against the unit: its owner still verifies himself.
        var owner = await SignUpAsync("13900000131", "沈三");
        Assert.Equal("verified", (await (await ClaimAsync(owner, "912", "owner", "1111")).JsonAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_owner_with_the_right_digits_but_another_name_than_the_register_waits_for_a_verifier()
    {
        await RegisterUnitAsync("913", "沈金", null, "4321");
        var other = await SignUpAsync("13900000132", "李四");
        var claim = await (await ClaimAsync(other, "913", "owner", "4321")).JsonAsync();
        Assert.Equal("pending", claim["status"]!.GetValue<string>());
        Assert.Contains("姓名", claim["note"]!.GetValue<string>());
        Assert.Null((await other.GetJsonAsync("/api/auth/me"))["ownerId"]);
        // The name as the owner writes it, spaces and all, is the register's.
        var owner = await SignUpAsync("13900000133", " 沈 金 ");
        Assert.Equal("verified", (await (await ClaimAsync(owner, "913", "owner", "4321")).JsonAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_verifiers_queue_takes_the_status_in_lower_case_as_the_api_writes_it()
    {
        await RegisterUnitAsync("914", "沈银", null, null);
        var tenant = await SignUpAsync("13900000134");
        var id = (await (await ClaimAsync(tenant, "914", "tenant")).JsonAsync())["id"]!.GetValue<string>();
        var worker = await As("gridworker");
        Assert.Contains((await worker.GetJsonAsync("/api/claims?status=pending")).AsArray(), c => c!["id"]!.GetValue<string>() == id);
        await worker.PostJsonAsync($"/api/claims/{id}/verify", new { });
        Assert.Contains((await worker.GetJsonAsync("/api/claims?status=verified")).AsArray(), c => c!["id"]!.GetValue<string>() == id);
        Assert.Contains((await worker.GetJsonAsync("/api/claims?status=Verified")).AsArray(), c => c!["id"]!.GetValue<string>() == id);
        Assert.DoesNotContain((await worker.GetJsonAsync("/api/claims?status=pending")).AsArray(), c => c!["id"]!.GetValue<string>() == id);
        await ProblemAssert.IsProblemAsync(await worker.GetAsync("/api/claims?status=done"), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task A_phone_written_with_86_spaces_or_dashes_signs_up_claims_and_signs_in_as_its_eleven_digits()
    {
        await RegisterUnitAsync("915", "沈铜", "13900000135", "8642");
        var before = sms.Count;
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone = "86 139 0000 0135" })).StatusCode);
        var sent = JsonNode.Parse(sms.BodyAfter(before))!;
        Assert.Equal("13900000135", sent["phone"]!.GetValue<string>());
        var created = await App.CreateClient().PostAsJsonAsync("/api/signup",
            new { phone = "+86-139-0000-0135", code = sent["code"]!.GetValue<string>(), password = StrongPassword, displayName = "沈铜" });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        Assert.Equal("13900000135", (await created.JsonAsync())["userName"]!.GetValue<string>());
        var owner = await SignInAsync("13900000135", StrongPassword);
        // The account's phone is the register's: the owner verifies himself.
        Assert.Equal("verified", (await (await ClaimAsync(owner, "915", "owner", "8642")).JsonAsync())["status"]!.GetValue<string>());
        clock.Advance(TimeSpan.FromMinutes(2));
        await ProblemAssert.IsProblemAsync(await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone = "+1 139 0000 0135" }),
            HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task One_address_asks_codes_for_a_whole_activation_queue_while_each_phone_keeps_its_limit()
    {
        var anonymous = App.CreateClient();
        for (var i = 0; i < 30; i++)
            Assert.Equal(HttpStatusCode.Accepted,
                (await anonymous.PostAsJsonAsync("/api/signup/codes", new { phone = $"1370000{i:D4}" })).StatusCode);
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/signup/codes", new { phone = "13700000000" }),
            HttpStatusCode.TooManyRequests, "codeRateLimited");
    }

    [Fact]
    public async Task A_tenant_claim_is_decided_by_the_grid_worker_of_its_grid_and_not_by_another_grid_or_community()
    {
        await RegisterUnitAsync("904", "沈黑", null, null);
        var tenant = await SignUpAsync("13900000040");
        var claim = await (await ClaimAsync(tenant, "904", "tenant")).JsonAsync();
        var id = claim["id"]!.GetValue<string>();

        var otherCommunity = await As("hp-gridworker");
        Assert.Empty((await otherCommunity.GetJsonAsync("/api/claims")).AsArray());
        await ProblemAssert.IsProblemAsync(await otherCommunity.PostAsJsonAsync($"/api/claims/{id}/verify", new { }),
            HttpStatusCode.NotFound, "notFound");
        var otherGrid = await As("gridworker2");
        await ProblemAssert.IsProblemAsync(await otherGrid.PostAsJsonAsync($"/api/claims/{id}/verify", new { }), HttpStatusCode.NotFound, "notFound");
        // Staff of the community who are neither its grid worker nor the property company see it but may not decide.
        var committee = await As("residents-committee");
        await ProblemAssert.IsProblemAsync(await committee.PostAsJsonAsync($"/api/claims/{id}/verify", new { }),
            HttpStatusCode.Forbidden, "forbidden");
        // The claimant cannot decide their own claim.
        await ProblemAssert.IsProblemAsync(await tenant.PostAsJsonAsync($"/api/claims/{id}/verify", new { }), HttpStatusCode.NotFound, "notFound");

        var worker = await As("gridworker");
        var queue = (await worker.GetJsonAsync("/api/claims")).AsArray();
        var listed = Assert.Single(queue, c => c!["id"]!.GetValue<string>() == id)!;
        Assert.Equal("*******0040", listed["claimantPhone"]!.GetValue<string>()); // masked but for the last four
        await ProblemAssert.IsProblemAsync(await worker.PostAsJsonAsync($"/api/claims/{id}/verify", new { ownerId = Guid.NewGuid() }),
            HttpStatusCode.BadRequest, "validation"); // a tenant is never made an owner
        var decided = await worker.PostJsonAsync($"/api/claims/{id}/verify", new { });
        Assert.Equal("verified", decided["status"]!.GetValue<string>());
        await ProblemAssert.IsProblemAsync(await worker.PostAsJsonAsync($"/api/claims/{id}/refuse", new { reason = "搞错了" }),
            HttpStatusCode.Conflict, "claimDecided");
        Assert.Null((await tenant.GetJsonAsync("/api/auth/me"))["ownerId"]);
    }

    [Fact]
    public async Task A_refused_claim_takes_the_resident_role_back_and_the_property_company_may_refuse()
    {
        await RegisterUnitAsync("905", "沈蓝", null, null);
        var claimant = await SignUpAsync("13900000050");
        var id = (await (await ClaimAsync(claimant, "905", "family")).JsonAsync())["id"]!.GetValue<string>();
        Assert.NotEmpty((await claimant.GetJsonAsync("/api/auth/me"))["roles"]!.AsArray());
        var property = await As("property");
        await ProblemAssert.IsProblemAsync(await property.PostAsJsonAsync($"/api/claims/{id}/refuse", new { reason = "" }),
            HttpStatusCode.BadRequest, "validation");
        Assert.Equal("refused",
            (await property.PostJsonAsync($"/api/claims/{id}/refuse", new { reason = "业主说不认识此人" }))["status"]!.GetValue<string>());
        Assert.Empty((await claimant.GetJsonAsync("/api/auth/me"))["roles"]!.AsArray());
        var mine = (await claimant.GetJsonAsync("/api/me/claims")).AsArray();
        Assert.Equal("业主说不认识此人", mine[0]!["refusalReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_claims_of_the_same_owner_sent_at_once_make_one_verified_owner()
    {
        var (_, ownerId) = await RegisterUnitAsync("906", "沈紫", null, "1357");
        var first = await SignUpAsync("13900000060", "沈紫");
        var second = await SignUpAsync("13900000061", "沈紫");
        var answers = await Task.WhenAll(ClaimAsync(first, "906", "owner", "1357"), ClaimAsync(second, "906", "owner", "1357"));
        var statuses = new List<string>();
        foreach (var answer in answers)
            statuses.Add(answer.IsSuccessStatusCode ? (await answer.JsonAsync())["status"]!.GetValue<string>()
                : (await ProblemAssert.IsProblemAsync(answer, HttpStatusCode.Conflict, "claimConflict"))["code"]!.GetValue<string>());
        Assert.Single(statuses, s => s == "verified");
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
        Assert.Equal(1, await db.Users.CountAsync(u => u.OwnerId == ownerId));
    }

    [Fact]
    public async Task A_claim_names_an_existing_room_and_the_same_claim_twice_is_one_claim()
    {
        var resident = await SignUpAsync("13900000070");
        await ProblemAssert.IsProblemAsync(await ClaimAsync(resident, "9999", "tenant"), HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await ClaimAsync(resident, "101", "tenant", building: Guid.NewGuid()),
            HttpStatusCode.NotFound, "notFound");
        var first = await (await ClaimAsync(resident, "101", "tenant")).JsonAsync();
        var again = await (await ClaimAsync(resident, "101", "tenant")).JsonAsync();
        Assert.Equal(first["id"]!.GetValue<string>(), again["id"]!.GetValue<string>());
        Assert.Equal("1-101", first["unit"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_password_is_reset_with_a_phone_code_and_every_session_ends()
    {
        var resident = await SignUpAsync("13900000080");
        clock.Advance(TimeSpan.FromMinutes(2));
        var code = await CodeSentToAsync("13900000080", "reset");
        var anonymous = App.CreateClient();
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/signup/reset",
            new { phone = "13900000080", code, newPassword = "123456789" }), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/signup/reset",
            new { phone = "13900000080", code, newPassword = "Xinmima-2027!" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await resident.GetAsync("/api/auth/me")).StatusCode);
        await SignInAsync("13900000080", "Xinmima-2027!");
        // A reset code for a phone without an account is never sent.
        var before = sms.Count;
        Assert.Equal(HttpStatusCode.Accepted,
            (await anonymous.PostAsJsonAsync("/api/signup/codes", new { phone = "13900000089", purpose = "reset" })).StatusCode);
        await sms.NothingAfterAsync(before);
    }

    /// <summary>Asks for a reset code for the phone and tries a reset with a guess: what a stranger sees of a phone.</summary>
    async Task ResetIsRefusedLikeAnUnknownPhoneAsync(string phone)
    {
        clock.Advance(TimeSpan.FromMinutes(2));
        var before = sms.Count;
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone, purpose = "reset" })).StatusCode);
        await sms.NothingAfterAsync(before);
        await ProblemAssert.IsProblemAsync(await App.CreateClient().PostAsJsonAsync("/api/signup/reset",
            new { phone, code = "123456", newPassword = "Xinmima-2027!" }), HttpStatusCode.BadRequest, "badCode");
    }

    [Fact]
    public async Task The_sms_reset_is_only_for_a_residents_proven_phone_never_a_staff_phone_or_a_user_name()
    {
        var admin = await As("admin");
        // A grid worker whose user name looks like a phone, with a phone the administrator typed (never proven).
        await admin.PostJsonAsync("/api/users", new
        {
            userName = "13700007777", displayName = "网格员老李", role = "gridWorker", orgUnitId = DemoData.Ids.XingfuliGrid1, phone = "13800009999",
        });
        await ResetIsRefusedLikeAnUnknownPhoneAsync("13800009999");
        await ResetIsRefusedLikeAnUnknownPhoneAsync("13700007777");
        // An administrator's typed phone.
        await admin.PostJsonAsync("/api/users",
            new { userName = "xf-admin", displayName = "幸福里管理员", role = "admin", orgUnitId = Xingfuli, phone = "13800000000" });
        await ResetIsRefusedLikeAnUnknownPhoneAsync("13800000000");
        // A resident who proved the phone, then was made a grid worker: staff now, reset by an administrator.
        var resident = await SignUpAsync("13900000081");
        await ClaimAsync(resident, "101", "tenant");
        var id = (await resident.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<string>();
        await admin.PostJsonAsync($"/api/users/{id}/roles", new { role = "gridWorker", orgUnitId = DemoData.Ids.XingfuliGrid1 });
        await ResetIsRefusedLikeAnUnknownPhoneAsync("13900000081");
        // An unknown phone, for comparison: the same answers.
        await ResetIsRefusedLikeAnUnknownPhoneAsync("13900000089");
    }

    [Fact]
    public async Task The_code_request_answers_before_a_slow_gateway_and_the_message_still_arrives()
    {
        await SignUpAsync("13900000082");
        clock.Advance(TimeSpan.FromMinutes(2));
        sms.Delay = TimeSpan.FromSeconds(2);
        var before = sms.Count;
        var timer = System.Diagnostics.Stopwatch.StartNew();
        var response = await App.CreateClient().PostAsJsonAsync("/api/signup/codes", new { phone = "13900000082", purpose = "reset" });
        timer.Stop();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(timer.Elapsed < TimeSpan.FromSeconds(1), $"The answer took {timer.Elapsed.TotalSeconds:0.00} s: it waited for the gateway.");
        var code = JsonNode.Parse(sms.BodyAfter(before))!["code"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.NoContent, (await App.CreateClient().PostAsJsonAsync("/api/signup/reset",
            new { phone = "13900000082", code, newPassword = "Xinmima-2027!" })).StatusCode);
    }

    [Fact]
    public async Task Two_verifiers_deciding_one_claim_at_once_one_wins_and_the_other_gets_claimDecided()
    {
        var worker = await As("gridworker");
        var property = await As("property");
        var ids = new Dictionary<HttpClient, Guid>
        {
            [worker] = (await worker.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<Guid>(),
            [property] = (await property.GetJsonAsync("/api/auth/me"))["id"]!.GetValue<Guid>(),
        };
        for (var round = 0; round < 6; round++)
        {
            var (_, ownerId) = await RegisterUnitAsync($"95{round}", $"沈{round}", null, null);
            var claimant = await SignUpAsync($"1390000095{round}");
            var id = (await (await ClaimAsync(claimant, $"95{round}", "owner", "0000")).JsonAsync())["id"]!.GetValue<Guid>();
            // Even rounds: two verifications; odd rounds: a verification against a refusal.
            var second = round % 2 == 0
                ? property.PostAsJsonAsync($"/api/claims/{id}/verify", new { ownerId })
                : property.PostAsJsonAsync($"/api/claims/{id}/refuse", new { reason = "不认识此人" });
            var answers = await Task.WhenAll(worker.PostAsJsonAsync($"/api/claims/{id}/verify", new { ownerId }), second);
            var won = Assert.Single(answers, a => a.IsSuccessStatusCode);
            var lost = Assert.Single(answers, a => !a.IsSuccessStatusCode);
            await ProblemAssert.IsProblemAsync(lost, HttpStatusCode.Conflict, "claimDecided");
            var winner = won == answers[0] ? worker : property;
            await using var scope = App.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var stored = await db.HomeClaims.AsNoTracking().SingleAsync(c => c.Id == id);
            Assert.Equal(ids[winner], stored.DecidedById);
            Assert.Equal(won == answers[0] || round % 2 == 0 ? ClaimStatus.Verified : ClaimStatus.Refused, stored.Status);
        }
    }

    [Fact]
    public async Task The_owners_committee_prints_a_letter_per_unit_and_an_owner_activates_from_one_code_once()
    {
        var (unit, ownerId) = await RegisterUnitAsync("907", "沈绿", null, null);
        var committee = await As("owners-committee");
        var response = await committee.PostAsync($"/api/buildings/{Building1}/letters", null);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        var pages = Pdf.Pages(await response.Content.ReadAsByteArrayAsync());
        int units;
        await using (var scope = App.Services.CreateAsyncScope())
            units = await scope.ServiceProvider.GetRequiredService<DeliberateDbContext>().PropertyUnits
                .CountAsync(u => u.BuildingId == Building1 && u.RetiredAt == null && !u.DeveloperUnsold);
        var skipped = int.Parse(response.Headers.GetValues(LettersApi.SkippedHeader).Single());
        Assert.True(skipped > 0); // 陈晓燕 (1-102) has an account
        Assert.DoesNotContain(pages, p => p.Contains("1-102室"));
        units -= skipped;
        Assert.Equal(units, pages.Count);
        var codes = pages.Select(p => Regex.Match(p, "激活码：([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})")).ToList();
        Assert.All(codes, c => Assert.True(c.Success));
        Assert.Equal(units, codes.Select(c => c.Groups[1].Value).Distinct().Count());
        var page = Assert.Single(pages, p => p.Contains("1-907"));
        Assert.Contains("沈绿", page);
        var code = Regex.Match(page, "激活码：([A-Z0-9-]{14})").Groups[1].Value;

        var anonymous = App.CreateClient();
        var phoneCode = await CodeSentToAsync("13900000090", "activate");
        var created = await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code = code.ToLowerInvariant(), phone = "13900000090", phoneCode, password = StrongPassword });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var owner = await SignInAsync("13900000090", StrongPassword);
        Assert.Equal(ownerId.ToString(), (await owner.GetJsonAsync("/api/auth/me"))["ownerId"]!.GetValue<string>());
        var otherCode = await CodeSentToAsync("13900000091", "activate");
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000091", phoneCode = otherCode, password = StrongPassword }), HttpStatusCode.BadRequest, "badLetterCode");

        // The owner votes at once.
        var ballot = await OpenBallotAsync();
        Assert.True((await owner.PostAsJsonAsync($"/api/ballots/{ballot["id"]}/votes", new { choice = "agree" })).IsSuccessStatusCode);
        _ = unit;
    }

    [Fact]
    public async Task Activating_a_letter_without_a_valid_code_sent_to_the_phone_is_refused_and_changes_nothing()
    {
        var (_, ownerId) = await RegisterUnitAsync("909", "沈青", null, null);
        var pages = Pdf.Pages(await (await (await As("owners-committee")).PostAsync($"/api/buildings/{Building1}/letters", null))
            .Content.ReadAsByteArrayAsync());
        var code = Regex.Match(Assert.Single(pages, p => p.Contains("1-909")), "激活码：([A-Z0-9-]{14})").Groups[1].Value;
        var anonymous = App.CreateClient();

        // No phone code at all, a made-up one, a sign-up code for the same phone, and a code sent to another phone.
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000096", password = StrongPassword }), HttpStatusCode.BadRequest, "validation");
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000096", phoneCode = "123456", password = StrongPassword }), HttpStatusCode.BadRequest, "badCode");
        var signUpCode = await CodeSentToAsync("13900000096");
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000096", phoneCode = signUpCode, password = StrongPassword }), HttpStatusCode.BadRequest, "badCode");
        var othersCode = await CodeSentToAsync("13900000097", "activate");
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000096", phoneCode = othersCode, password = StrongPassword }), HttpStatusCode.BadRequest, "badCode");

        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            Assert.False(await db.Users.AnyAsync(u => u.UserName == "13900000096" || u.OwnerId == ownerId));
            Assert.False(await db.HomeClaims.AnyAsync(c => c.OwnerId == ownerId));
            Assert.True(await db.ActivationLetters.AnyAsync(l => l.CodeHash == LettersApi.Hash(LettersApi.Normalise(code)) && l.UsedAt == null));
        }

        // The letter still works once the phone is confirmed.
        var phoneCode = await CodeSentToAsync("13900000096", "activate");
        var created = await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000096", phoneCode, password = StrongPassword });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_letter_is_refused_for_a_phone_other_than_the_registers_and_activates_with_the_registers_phone()
    {
        var (_, ownerId) = await RegisterUnitAsync("911", "沈紫", "13900000081", null);
        var pages = Pdf.Pages(await (await (await As("owners-committee")).PostAsync($"/api/buildings/{Building1}/letters", null))
            .Content.ReadAsByteArrayAsync());
        var code = Regex.Match(Assert.Single(pages, p => p.Contains("1-911")), "激活码：([A-Z0-9-]{14})").Groups[1].Value;
        var anonymous = App.CreateClient();

        var finder = await CodeSentToAsync("13900000082", "activate");
        await ProblemAssert.IsProblemAsync(await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000082", phoneCode = finder, password = StrongPassword }), HttpStatusCode.BadRequest, "letterPhoneMismatch");
        var phoneCode = await CodeSentToAsync("13900000081", "activate");
        var created = await anonymous.PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000081", phoneCode, password = StrongPassword });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var owner = await SignInAsync("13900000081", StrongPassword);
        Assert.Equal(ownerId.ToString(), (await owner.GetJsonAsync("/api/auth/me"))["ownerId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Printing_a_building_whose_owners_all_have_accounts_is_refused_as_nothing_to_print_rather_than_an_empty_PDF()
    {
        var building = Guid.CreateVersion7();
        await using (var scope = App.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DeliberateDbContext>();
            var grid = await db.OrgUnits.SingleAsync(o => o.Id == DemoData.Ids.XingfuliGrid1);
            db.OrgUnits.Add(new OrgUnit(building, OrgLevel.Building, "99号楼", grid));
            await db.SaveChangesAsync();
        }
        await RegisterUnitAsync("101", "沈白", null, null, building);
        var committee = await As("owners-committee");
        var first = await committee.PostAsync($"/api/buildings/{building}/letters", null);
        Assert.True(first.IsSuccessStatusCode, await first.Content.ReadAsStringAsync());
        Assert.Equal("0", first.Headers.GetValues(LettersApi.SkippedHeader).Single());
        var code = Regex.Match(Assert.Single(Pdf.Pages(await first.Content.ReadAsByteArrayAsync())), "激活码：([A-Z0-9-]{14})").Groups[1].Value;

        var phoneCode = await CodeSentToAsync("13900000083", "activate");
        var created = await App.CreateClient().PostAsJsonAsync("/api/letters/activate",
            new { code, phone = "13900000083", phoneCode, password = StrongPassword });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var again = await committee.PostAsync($"/api/buildings/{building}/letters", null);
        await ProblemAssert.IsProblemAsync(again, HttpStatusCode.Conflict, "noLettersToPrint");
    }

    [Fact]
    public async Task Printing_again_revokes_the_unused_letters_and_another_communitys_building_is_not_the_committees()
    {
        var committee = await As("owners-committee");
        await RegisterUnitAsync("908", "沈橙", null, null); // the demo's owners all have accounts: no letter for their units
        var first = Pdf.Pages(await (await committee.PostAsync($"/api/buildings/{Building1}/letters", null)).Content.ReadAsByteArrayAsync());
        var oldCode = Regex.Match(first[0], "激活码：([A-Z0-9-]{14})").Groups[1].Value;
        Assert.True((await committee.PostAsync($"/api/buildings/{Building1}/letters", null)).IsSuccessStatusCode);
        await ProblemAssert.IsProblemAsync(await App.CreateClient().PostAsJsonAsync("/api/letters/activate",
            new { code = oldCode, phone = "13900000095", phoneCode = "000000", password = StrongPassword }),
            HttpStatusCode.BadRequest, "badLetterCode");

        await ProblemAssert.IsProblemAsync(await committee.PostAsync($"/api/buildings/{HepingBuilding1}/letters", null),
            HttpStatusCode.NotFound, "notFound");
        await ProblemAssert.IsProblemAsync(await (await As("gridworker")).PostAsync($"/api/buildings/{Building1}/letters", null),
            HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task The_gateway_adapter_retries_a_failing_gateway_and_fills_a_form_template()
    {
        using var receiver = new SmsReceiver();
        receiver.FailNext(1);
        var options = new SmsOptions
        {
            Url = receiver.Url, Format = "form", Template = "mobile={phone}&text=验证码{code}，{minutes}分钟内有效", Retries = 2, TimeoutSeconds = 5,
        };
        using var http = new HttpClient();
        await new SmsGatewaySender(http, options, NullLogger<SmsGatewaySender>.Instance)
            .SendAsync("13900000099", "042517", CodePurpose.SignUp, default);
        Assert.Equal(2, receiver.Count);
        // The values are escaped for the form; the template's own text is sent as the operator wrote it.
        Assert.Equal("mobile=13900000099&text=验证码042517，10分钟内有效", receiver.BodyAfter(1));

        receiver.FailNext(5);
        await Assert.ThrowsAsync<HttpRequestException>(() =>
            new SmsGatewaySender(http, options, NullLogger<SmsGatewaySender>.Instance).SendAsync("13900000099", "1", CodePurpose.Reset, default));
    }

    [Fact]
    public void Production_without_demo_refuses_the_log_sender_unless_allowed()
    {
        var production = new HostEnv("Production");
        Assert.NotNull(new SmsOptions().Problem(production, demo: false));
        Assert.Null(new SmsOptions().Problem(production, demo: true));
        Assert.Null(new SmsOptions { AllowLogSender = true }.Problem(production, demo: false));
        Assert.Null(new SmsOptions().Problem(new HostEnv("Development"), demo: false));
        Assert.NotNull(new SmsOptions { Sender = "gateway", Url = "not a url" }.Problem(new HostEnv("Development"), demo: false));
        Assert.Null(new SmsOptions { Url = "https://sms.example.cn/send" }.Problem(production, demo: false));
    }

    sealed class HostEnv(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;
        public string ApplicationName { get; set; } = "Deliberate";
        public string ContentRootPath { get; set; } = "/";
        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}

/// <summary>A real HTTP receiver on loopback standing in for an SMS provider: records each post, can answer 500 a few times.</summary>
sealed class SmsReceiver : IDisposable
{
    readonly HttpListener listener = new();
    readonly List<string> bodies = [];
    int failuresLeft;
    public string Url { get; }
    public List<Dictionary<string, string>> Headers { get; } = [];

    public SmsReceiver()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/sms/";
        listener.Prefixes.Add(Url);
        listener.Start();
        _ = ServeAsync();
    }

    public int Count { get { lock (bodies) return bodies.Count; } }

    public void FailNext(int count) => failuresLeft = count;

    /// <summary>How long the gateway takes to answer (a slow provider).</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>
    /// The body of the first post after the first <paramref name="count"/> ones. The server sends from a queue after it answered:
    /// the post may come a moment later (up to 15 s here).
    /// </summary>
    public string BodyAfter(int count)
    {
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(15) && Count <= count; waited += TimeSpan.FromMilliseconds(20))
            Thread.Sleep(20);
        lock (bodies)
        {
            Assert.True(bodies.Count > count, $"No message was sent (have {bodies.Count}).");
            return bodies[count];
        }
    }

    /// <summary>No post after the first <paramref name="count"/>, a second after the request (the queue sends within milliseconds).</summary>
    public async Task NothingAfterAsync(int count)
    {
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(count, Count);
    }

    async Task ServeAsync()
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception) { return; }
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (Delay > TimeSpan.Zero) await Task.Delay(Delay);
            lock (bodies)
            {
                bodies.Add(body);
                Headers.Add(context.Request.Headers.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => context.Request.Headers[k]!));
            }
            context.Response.StatusCode = Interlocked.Decrement(ref failuresLeft) >= 0 ? 500 : 200;
            context.Response.Close();
        }
    }

    public void Dispose() => listener.Close();
}
