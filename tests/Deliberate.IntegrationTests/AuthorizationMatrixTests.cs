using Deliberate.IntegrationTests.Infrastructure;

namespace Deliberate.IntegrationTests;

/// <summary>
/// Every endpoint of the OpenAPI document × every role. Each endpoint must appear in <see cref="Access"/>,
/// so a new endpoint fails this test until someone decides who may call it.
/// </summary>
public sealed class AuthorizationMatrixTests : AppTest
{
    /// <summary>Who may call an endpoint. Roles: only these roles (admins always) pass the door; others get 403.</summary>
    abstract record Rule;
    sealed record Anyone : Rule;
    /// <summary>Anyone may call it; a wrong password or token answers 401.</summary>
    sealed record CredentialCheck : Rule;
    /// <summary>Any signed-in user passes the door; what they may see or change is the handler's scope check.</summary>
    sealed record SignedIn : Rule;
    sealed record Roles(params string[] Names) : Rule;

    static readonly Rule Public = new Anyone();
    static readonly Rule SignIn = new CredentialCheck();
    static readonly Rule Users = new SignedIn();
    static readonly Rule Designers = new Roles("designer");
    static readonly Rule Organisers = new Roles("secretary", "residents-committee", "owners-committee", "street");
    static readonly Rule Staff = new Roles("secretary", "gridworker", "residents-committee", "owners-committee", "property", "street", "department");
    static readonly Rule Admins = new Roles();

    static readonly Dictionary<string, Rule> Access = new()
    {
        ["POST /api/auth/token"] = SignIn, ["POST /api/auth/refresh"] = SignIn, ["POST /api/auth/login"] = SignIn,
        ["POST /api/auth/logout"] = Public, ["GET /api/auth/me"] = Users,
        ["POST /api/auth/password"] = Users, ["GET /api/auth/options"] = Public,
        ["GET /api/auth/oidc/login"] = Public, // sends the browser to the identity provider (404 when none is configured)
        // Coming in without an account: a code to a phone, sign-up, reset, a letter's activation (SignUpTests).
        ["POST /api/signup/codes"] = Public, ["POST /api/signup"] = Public, ["POST /api/signup/reset"] = Public,
        ["POST /api/letters/activate"] = Public,
        // A signed-in person's own claims; the verifiers' queue is HomeClaimAccess inside the handlers.
        ["GET /api/me/claims"] = Users, ["POST /api/me/claims"] = Users, ["GET /api/me/claims/buildings"] = Users,
        ["GET /api/claims"] = Users, ["POST /api/claims/{id}/verify"] = Users, ["POST /api/claims/{id}/refuse"] = Users,
        ["POST /api/buildings/{buildingId}/letters"] = Users, // LettersApi.MayPrint: the owners' committee or an administrator
        ["POST /api/users/{id}/password"] = Admins, ["POST /api/users/{id}/deactivate"] = Admins, ["POST /api/users/{id}/reactivate"] = Admins,
        ["GET /api/users"] = Admins, ["POST /api/users"] = Admins, ["POST /api/users/{id}/roles"] = Admins,
        ["DELETE /api/users/{id}/roles/{role}/{orgUnitId}"] = Admins,
        ["GET /api/admin/org"] = Admins, ["POST /api/admin/org"] = Admins, ["PUT /api/admin/org/{id}/name"] = Admins,
        ["POST /api/admin/org/{id}/move"] = Admins, ["POST /api/admin/org/{id}/retire"] = Admins, ["DELETE /api/admin/org/{id}"] = Admins,
        ["POST /api/admin/org/{id}/restore"] = Admins,
        ["POST /api/tally"] = Public, ["GET /api/tally/rules"] = Public, ["GET /api/ballots/{id}/receipts/{code}"] = Public,
        ["GET /api/org"] = Users, ["GET /api/roles"] = Users, ["GET /api/activity-descriptors"] = Users,
        ["POST /api/workflow-events"] = Admins,
        ["GET /api/ratings/open"] = Users, ["POST /api/matters/{id}/ratings"] = Users, ["GET /api/matters/{id}/ratings"] = Users,
        ["GET /api/matters/categories"] = Users, ["POST /api/matters"] = Users, ["GET /api/matters"] = Users,
        ["GET /api/matters/{id}"] = Users, ["POST /api/matters/{id}/photos"] = Users, ["GET /api/matters/{id}/photos/{photoId}"] = Users,
        ["POST /api/meetings"] = Organisers, ["GET /api/meetings"] = Users, ["GET /api/meetings/{id}"] = Users,
        ["PUT /api/meetings/{id}"] = Users, ["POST /api/meetings/{id}/participants"] = Users,
        ["POST /api/meetings/{id}/reschedule"] = Users, ["POST /api/meetings/{id}/cancel"] = Users,
        ["GET /api/meetings/for-matter/{matterId}"] = Users,
        ["DELETE /api/meetings/{id}/participants/{participantId}"] = Users, ["POST /api/meetings/{id}/agenda"] = Users,
        ["POST /api/meetings/{id}/convene"] = Users, ["POST /api/meetings/{id}/open"] = Users, ["PUT /api/meetings/{id}/attendance"] = Users,
        ["POST /api/meetings/{id}/agenda/{itemId}/opinions"] = Users, ["POST /api/meetings/{id}/agenda/{itemId}/motions"] = Users,
        ["POST /api/meetings/{id}/agenda/{itemId}/motions/{motionId}/withdraw"] = Users,
        ["POST /api/meetings/{id}/resolutions"] = Users, ["POST /api/meetings/{id}/adjourn"] = Users, ["POST /api/meetings/{id}/close"] = Users,
        ["POST /api/meetings/{id}/approve-minutes"] = Users,
        ["POST /api/consultations"] = Organisers, ["GET /api/consultations"] = Users, ["GET /api/consultations/{id}"] = Users,
        ["POST /api/consultations/{id}/responses"] = Users,
        ["GET /api/tasks"] = Users, ["GET /api/tasks/{id}"] = Users, ["POST /api/tasks/{id}/complete"] = Users,
        ["GET /api/workflow-definitions"] = Designers, ["POST /api/workflow-definitions"] = Designers,
        ["POST /api/workflow-definitions/validate"] = Designers, ["POST /api/workflow-definitions/import"] = Designers,
        ["GET /api/workflow-definitions/{definitionId}"] = Designers, ["GET /api/workflow-definitions/{definitionId}/versions"] = Designers,
        ["GET /api/workflow-definitions/{definitionId}/versions/{version}"] = Designers,
        ["PUT /api/workflow-definitions/{definitionId}/draft"] = Designers, ["DELETE /api/workflow-definitions/{definitionId}/draft"] = Designers,
        ["POST /api/workflow-definitions/{definitionId}/publish"] = Designers,
        ["GET /api/workflow-instances"] = Designers, ["POST /api/workflow-instances"] = Designers, ["GET /api/workflow-instances/{id}"] = Designers,
        ["GET /api/workflow-instances/{id}/journal"] = Designers, ["POST /api/workflow-instances/{id}/retry"] = Designers,
        ["POST /api/workflow-instances/{id}/cancel"] = Designers, ["POST /api/workflow-instances/{id}/migrate"] = Designers,
        ["POST /api/ballots"] = Users, ["GET /api/ballots"] = Users, ["GET /api/ballots/{id}"] = Users,
        ["GET /api/ballots/{id}/deliberation"] = Users,
        ["GET /api/ballots/{id}/me"] = Users,
        ["POST /api/ballots/{id}/votes"] = Users, ["POST /api/ballots/{id}/proxy-votes"] = Users, ["POST /api/ballots/{id}/paper-votes"] = Users,
        ["GET /api/ballots/{id}/participation"] = Users, ["GET /api/ballots/{id}/slips/{participationId}"] = Users,
        ["GET /api/ballots/{id}/audit"] = Users, ["GET /api/ballots/{id}/choices"] = Users, ["POST /api/ballots/{id}/close"] = Users,
        ["GET /api/notices"] = Users, ["POST /api/notices"] = Users, ["GET /api/notices/{id}"] = Users,
        ["GET /api/communities/{id}/settings"] = Users, ["PUT /api/communities/{id}/settings"] = Users,
        ["GET /api/communities/{id}/rules-of-procedure"] = Users, ["POST /api/communities/{id}/rules-of-procedure"] = Users,
        ["GET /api/ballots/kinds"] = Users,
        // The register: the door lets any signed-in user in; RegisterAccess keeps it to the owners' committee, the property company
        // and administrators at or above the community (RegisterTests walks each).
        ["GET /api/register/template.xlsx"] = Users, ["GET /api/communities/{id}/register"] = Users,
        ["GET /api/org-units/{id}/robots"] = Users, ["POST /api/org-units/{id}/robots"] = Users,
        ["PUT /api/org-units/{id}/robots/{robotId}"] = Users, ["DELETE /api/org-units/{id}/robots/{robotId}"] = Users,
        ["POST /api/org-units/{id}/robots/{robotId}/test"] = Users,
        // LedgerAccess inside the handlers: staff roles and administrators, each within their scope (LedgerTests).
        ["GET /api/ledgers/matters.xlsx"] = Users, ["GET /api/ledgers/meetings.xlsx"] = Users, ["GET /api/ledgers/resolutions.xlsx"] = Users,
        ["GET /api/ledgers/work-items.xlsx"] = Users, ["GET /api/ledgers/ballots.xlsx"] = Users,
        // BodyAccess inside the handlers: staff of the community read, its secretary and administrators keep (BodiesAndTermsTests).
        ["GET /api/communities/{id}/bodies"] = Users, ["POST /api/communities/{id}/bodies"] = Users,
        ["GET /api/communities/{id}/four-party-invitees"] = Users, ["PUT /api/bodies/{id}"] = Users,
        ["POST /api/bodies/{id}/terms"] = Users, ["POST /api/bodies/{id}/retire"] = Users, ["GET /api/communities/{id}/staff"] = Users,
        ["POST /api/communities/{id}/register/previews"] = Users, ["POST /api/communities/{id}/register/previews/{previewId}/apply"] = Users,
        ["GET /api/communities/{id}/register/imports"] = Users, ["GET /api/communities/{id}/register/export.xlsx"] = Users,
        ["GET /api/work-items"] = Users, ["POST /api/work-items"] = Users, ["GET /api/work-items/{id}"] = Users,
        ["POST /api/work-items/{id}/progress"] = Users, ["POST /api/work-items/{id}/complete"] = Users,
        ["POST /api/work-items/{id}/escalate"] = Users,
        ["POST /api/work-items/{id}/updates/{updateId}/photos"] = Users, ["GET /api/work-items/{id}/updates/{updateId}/photos/{photoId}"] = Users,
        ["GET /api/measures"] = Staff, ["GET /api/measures.csv"] = Staff,
        ["GET /api/audit"] = Admins, ["GET /api/audit/verify"] = Admins,
        ["GET /api/ballots/{id}/notice.pdf"] = Users, ["GET /api/matters/{id}/closing-report.pdf"] = Users,
        ["GET /api/meetings/{id}/minutes.pdf"] = Users, ["GET /api/meetings/{id}/minutes"] = Users, ["POST /api/meetings/{id}/minutes"] = Users,
        ["GET /api/meetings/{id}/minutes/{version}.pdf"] = Users, ["POST /api/meetings/{id}/minutes/{version}/sign-off"] = Users,
        ["GET /api/notifications"] = Users, ["GET /api/notifications/unread-count"] = Users,
        ["POST /api/notifications/{id}/read"] = Users, ["POST /api/notifications/read-all"] = Users,
        ["GET /api/review-cycles"] = Users, ["POST /api/review-cycles"] = Users, ["GET /api/review-cycles/{id}"] = Users,
        ["PUT /api/review-cycles/{id}"] = Users, ["DELETE /api/review-cycles/{id}"] = Users,
        ["POST /api/review-cycles/{id}/pause"] = Users, ["POST /api/review-cycles/{id}/resume"] = Users,
    };

    static readonly string[] Everyone =
        ["admin", "secretary", "gridworker", "residents-committee", "owners-committee", "property", "street", "department", "designer", "resident"];

    [Fact]
    public async Task Every_endpoint_in_the_OpenAPI_document_has_a_declared_rule()
    {
        var surface = await ApiSurface.LoadAsync(App);
        var undeclared = surface.Operations.Select(o => o.Key).Where(k => !Access.ContainsKey(k)).ToList();
        Assert.True(undeclared.Count == 0, "Endpoints without an access rule in AuthorizationMatrixTests.Access: " + string.Join(", ", undeclared));
        var stale = Access.Keys.Except(surface.Operations.Select(o => o.Key)).ToList();
        Assert.True(stale.Count == 0, "Rules for endpoints that no longer exist: " + string.Join(", ", stale));
    }

    [Fact]
    public async Task Without_sign_in_only_the_public_endpoints_answer_and_the_rest_say_401()
    {
        var surface = await ApiSurface.LoadAsync(App);
        var anonymous = App.CreateClient();
        var failures = new List<string>();
        foreach (var operation in surface.Operations.Where(o => Access.ContainsKey(o.Key)))
        {
            var response = await anonymous.SendAsync(operation.EmptyRequest(surface.Fill(operation.Template)));
            var status = (int)response.StatusCode;
            var rule = Access[operation.Key];
            if (status >= 500 || rule is Anyone && status == 401 || rule is SignedIn or Roles && status != 401)
                failures.Add($"{operation}: {status}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Each_role_passes_the_door_of_exactly_the_endpoints_its_rule_allows()
    {
        var surface = await ApiSurface.LoadAsync(App);
        var failures = new List<string>();
        foreach (var user in Everyone)
        {
            var client = await As(user);
            foreach (var operation in surface.Operations.Where(o => Access.ContainsKey(o.Key) && o.Key != "POST /api/auth/logout"))
            {
                var response = await client.SendAsync(operation.EmptyRequest(surface.Fill(operation.Template)));
                var status = (int)response.StatusCode;
                var allowed = Access[operation.Key] switch
                {
                    Roles roles => user == "admin" || roles.Names.Contains(user),
                    _ => true,
                };
                if (status >= 500 || status == 401 && Access[operation.Key] is not CredentialCheck) failures.Add($"{user} {operation}: {status}");
                else if (!allowed && status != 403) failures.Add($"{user} {operation}: {status}, expected 403");
                else if (allowed && status == 403 && Access[operation.Key] is Roles)
                    failures.Add($"{user} {operation}: 403, but the rule lets {user} in");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Staff_of_another_community_never_read_or_change_this_communitys_objects()
    {
        var surface = await ApiSurface.LoadAsync(App);
        var failures = new List<string>();
        foreach (var user in new[] { "hp-secretary", "hp-gridworker", "hp-property" })
        {
            var client = await As(user);
            // Endpoints about one object of 幸福里社区 (its id in the path); definitions are shared, receipts public.
            foreach (var operation in surface.Operations.Where(o =>
                o.Template.Contains("{id}") && Access.GetValueOrDefault(o.Key) is SignedIn or Roles))
            {
                var url = surface.Fill(operation.Template);
                var response = await client.SendAsync(operation.EmptyRequest(url));
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300 || status >= 500) failures.Add($"{user} {operation.Method} {url}: {status}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }
}
