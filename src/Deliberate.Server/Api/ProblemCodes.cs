namespace Deliberate.Server.Api;

/// <summary>
/// The problems endpoints declare with <see cref="ProblemResponses.Problems"/>: each stable <c>code</c> with the status it is
/// answered with. A new code gets its line here, then goes on the registrations of the endpoints that answer it.
/// </summary>
public static class ProblemCodes
{
    // Added by ProblemResponses.Transform to every operation they apply to; endpoints do not list them.
    /// <summary>No one is signed in (or the session ended).</summary>
    public static readonly ProblemCode Unauthenticated = new(401, "unauthenticated");
    /// <summary>A path, query or header value cannot be read as its type.</summary>
    public static readonly ProblemCode BadParameter = new(400, "badParameter");
    /// <summary>A required query or header value is missing.</summary>
    public static readonly ProblemCode MissingParameter = new(400, "missingParameter");
    /// <summary>The JSON body cannot be read.</summary>
    public static readonly ProblemCode BadJson = new(400, "badJson");
    /// <summary>The form body (multipart/form-data) is not well formed.</summary>
    public static readonly ProblemCode BadForm = new(400, "badForm");
    /// <summary>The JSON body is missing.</summary>
    public static readonly ProblemCode MissingBody = new(400, "missingBody");
    /// <summary>A date in the body is outside 2000–2100.</summary>
    public static readonly ProblemCode DateOutOfRange = new(400, "dateOutOfRange");
    /// <summary>The request is too large.</summary>
    public static readonly ProblemCode TooLarge = new(413, "tooLarge");
    /// <summary>The body is not of the content type the endpoint takes.</summary>
    public static readonly ProblemCode UnsupportedMediaType = new(415, "unsupportedMediaType");
    /// <summary>Too many requests from this address.</summary>
    public static readonly ProblemCode RateLimited = new(429, "rateLimited");
    /// <summary>Something went wrong on the server.</summary>
    public static readonly ProblemCode Internal = new(500, "internal");

    /// <summary>Field errors (<see cref="FieldErrors"/>): HttpValidationProblemDetails with <c>errors</c>.</summary>
    public static readonly ProblemCode Validation = new(400, "validation");
    /// <summary>The thing addressed does not exist, or the caller may not see it (<see cref="Problems.NotFound"/>).</summary>
    public static readonly ProblemCode NotFound = new(404, "notFound");
    /// <summary>Someone else acted on the same item first (a concurrency or workflow conflict).</summary>
    public static readonly ProblemCode Conflict = new(409, "conflict");

    public static readonly ProblemCode DeemedConsentByRulesOfProcedure = new(400, "deemedConsentByRulesOfProcedure");
    // Bodies and terms (组织与成员).
    public static readonly ProblemCode BodyExists = new(409, "bodyExists");
    public static readonly ProblemCode BodyRetired = new(409, "bodyRetired");
    public static readonly ProblemCode TermDates = new(400, "termDates");
    public static readonly ProblemCode TermTooLong = new(400, "termTooLong");
    public static readonly ProblemCode OneChair = new(400, "oneChair");
    public static readonly ProblemCode MemberTwice = new(400, "memberTwice");
    public static readonly ProblemCode CommitteeSize = new(400, "committeeSize");
    public static readonly ProblemCode TermOutOfOrder = new(409, "termOutOfOrder");
    /// <summary>The owners' committee's term has run out (任期届满未换届): it cannot organise a ballot.</summary>
    public static readonly ProblemCode CommitteeTermExpired = new(409, "committeeTermExpired");
    public static readonly ProblemCode DefinitionIdMismatch = new(400, "definitionIdMismatch");
    public static readonly ProblemCode InvalidDefinition = new(400, "invalidDefinition");
    public static readonly ProblemCode InviteeRequired = new(400, "inviteeRequired");
    public static readonly ProblemCode NoRulesText = new(400, "noRulesText");
    public static readonly ProblemCode NotAdoptingBallot = new(400, "notAdoptingBallot");
    public static readonly ProblemCode UnitNotInElectorate = new(400, "notInElectorate");
    public static readonly ProblemCode UnsupportedElsaWorkflow = new(400, "unsupportedElsaWorkflow");
    public static readonly ProblemCode ValueTooLarge = new(400, "valueTooLarge");
    public static readonly ProblemCode BadCredentials = new(401, "badCredentials");
    // Sign-up, home claims and letters (SignUp/).
    public static readonly ProblemCode BadCode = new(400, "badCode");
    public static readonly ProblemCode BadLetterCode = new(400, "badLetterCode");
    public static readonly ProblemCode LetterPhoneMismatch = new(400, "letterPhoneMismatch");
    public static readonly ProblemCode NoLettersToPrint = new(409, "noLettersToPrint");
    public static readonly ProblemCode IdMismatch = new(400, "idMismatch");
    public static readonly ProblemCode CodeRateLimited = new(429, "codeRateLimited");
    public static readonly ProblemCode ClaimLocked = new(429, "claimLocked");
    public static readonly ProblemCode PhoneTaken = new(409, "phoneTaken");
    public static readonly ProblemCode ClaimConflict = new(409, "claimConflict");
    public static readonly ProblemCode ClaimDecided = new(409, "claimDecided");
    public static readonly ProblemCode OtherOwner = new(409, "otherOwner");
    public static readonly ProblemCode BadRefreshToken = new(401, "badRefreshToken");
    public static readonly ProblemCode BadCurrentPassword = new(403, "badCurrentPassword");
    public static readonly ProblemCode BadReceipt = new(403, "badReceipt");
    public static readonly ProblemCode ChoicesForMembers = new(403, "choicesForMembers");
    public static readonly ProblemCode ChoicesForOwners = new(403, "choicesForOwners");
    public static readonly ProblemCode DemoAccountDisabled = new(403, "demoAccountDisabled");
    public static readonly ProblemCode Forbidden = new(403, "forbidden");
    public static readonly ProblemCode NotAffected = new(403, "notAffected");
    public static readonly ProblemCode NotCommunityStaff = new(403, "notCommunityStaff");
    public static readonly ProblemCode NotInElectorate = new(403, "notInElectorate");
    public static readonly ProblemCode NotInvited = new(403, "notInvited");
    public static readonly ProblemCode NotInvitee = new(403, "notInvitee");
    public static readonly ProblemCode NotOrganiser = new(403, "notOrganiser");
    public static readonly ProblemCode NotRaiser = new(403, "notRaiser");
    public static readonly ProblemCode NotSigner = new(403, "notSigner");
    public static readonly ProblemCode NotStaff = new(403, "notStaff");
    public static readonly ProblemCode NotYourWorkItem = new(403, "notYourWorkItem");
    public static readonly ProblemCode OwnersCommitteeOrganises = new(403, "ownersCommitteeOrganises");
    public static readonly ProblemCode AlreadyAnswered = new(409, "alreadyAnswered");
    public static readonly ProblemCode AlreadyParticipant = new(409, "alreadyParticipant");
    public static readonly ProblemCode AlreadyRated = new(409, "alreadyRated");
    public static readonly ProblemCode AlreadySigned = new(409, "alreadySigned");
    public static readonly ProblemCode AlreadyVoted = new(409, "alreadyVoted");
    public static readonly ProblemCode AttendanceMissing = new(409, "attendanceMissing");
    public static readonly ProblemCode BadAttendance = new(409, "badAttendance");
    public static readonly ProblemCode BadInstanceState = new(409, "badInstanceState");
    public static readonly ProblemCode BadPercent = new(409, "badPercent");
    public static readonly ProblemCode BadState = new(409, "badState");
    public static readonly ProblemCode BadWindow = new(409, "badWindow");
    public static readonly ProblemCode BallotAlreadyAdopted = new(409, "ballotAlreadyAdopted");
    public static readonly ProblemCode BallotNotClosed = new(409, "ballotNotClosed");
    public static readonly ProblemCode BallotNotOpen = new(409, "ballotNotOpen");
    public static readonly ProblemCode BallotOpen = new(409, "ballotOpen");
    public static readonly ProblemCode CannotDeactivateSelf = new(409, "cannotDeactivateSelf");
    public static readonly ProblemCode CannotMigrate = new(409, "cannotMigrate");
    public static readonly ProblemCode Closed = new(409, "closed");
    public static readonly ProblemCode ClosesAtDeadline = new(409, "closesAtDeadline");
    public static readonly ProblemCode ConsensusContradicted = new(409, "consensusContradicted");
    public static readonly ProblemCode ConsensusNeedsParties = new(409, "consensusNeedsParties");
    public static readonly ProblemCode ConsultationClosed = new(409, "consultationClosed");
    public static readonly ProblemCode ConsultationNotOpen = new(409, "consultationNotOpen");
    public static readonly ProblemCode ConsultativeMeeting = new(409, "consultativeMeeting");
    public static readonly ProblemCode DecisionsTaken = new(409, "decisionsTaken");
    public static readonly ProblemCode DefinitionExists = new(409, "definitionExists");
    public static readonly ProblemCode Done = new(409, "done");
    public static readonly ProblemCode EmptyAgenda = new(409, "emptyAgenda");
    public static readonly ProblemCode EmptyElectorate = new(409, "emptyElectorate");
    public static readonly ProblemCode MatterClosed = new(409, "matterClosed");
    public static readonly ProblemCode MatterOnAgenda = new(409, "matterOnAgenda");
    public static readonly ProblemCode MatterOpen = new(409, "matterOpen");
    public static readonly ProblemCode MeetingInSession = new(409, "meetingInSession");
    public static readonly ProblemCode MeetingNotInSession = new(409, "meetingNotInSession");
    public static readonly ProblemCode MembersVoteInPerson = new(409, "membersVoteInPerson");
    public static readonly ProblemCode MinutesApproved = new(409, "minutesApproved");
    public static readonly ProblemCode MinutesNotSigned = new(409, "minutesNotSigned");
    public static readonly ProblemCode MotionWithdrawn = new(409, "motionWithdrawn");
    public static readonly ProblemCode NoChair = new(409, "noChair");
    public static readonly ProblemCode NoMembers = new(409, "noMembers");
    public static readonly ProblemCode NoMinutes = new(409, "noMinutes");
    public static readonly ProblemCode NoOpenRound = new(409, "noOpenRound");
    public static readonly ProblemCode NoText = new(409, "noText");
    public static readonly ProblemCode NotAnnounced = new(409, "notAnnounced");
    public static readonly ProblemCode NotConsultative = new(409, "notConsultative");
    public static readonly ProblemCode NotYetOpen = new(409, "notYetOpen");
    public static readonly ProblemCode NothingToPublish = new(409, "nothingToPublish");
    public static readonly ProblemCode NoticeTooShort = new(409, "noticeTooShort");
    public static readonly ProblemCode OnlyVersion = new(409, "onlyVersion");
    public static readonly ProblemCode OutstandingMissing = new(409, "outstandingMissing");
    public static readonly ProblemCode QuorumNotMet = new(409, "quorumNotMet");
    public static readonly ProblemCode ReasonRequired = new(409, "reasonRequired");
    public static readonly ProblemCode ReceiptNeeded = new(409, "receiptNeeded");
    public static readonly ProblemCode RevoteUnavailable = new(409, "revoteUnavailable");
    public static readonly ProblemCode RoundClosed = new(409, "roundClosed");
    public static readonly ProblemCode RuleOfBody = new(409, "ruleOfBody");
    public static readonly ProblemCode SecretBallot = new(409, "secretBallot");
    public static readonly ProblemCode StartsInPast = new(409, "startsInPast");
    public static readonly ProblemCode Superseded = new(409, "superseded");
    public static readonly ProblemCode TaskNotOpen = new(409, "taskNotOpen");
    public static readonly ProblemCode TooEarly = new(409, "tooEarly");
    public static readonly ProblemCode TooFarAhead = new(409, "tooFarAhead");
    public static readonly ProblemCode TopOfLadder = new(409, "topOfLadder");
    public static readonly ProblemCode UnknownAgendaItem = new(409, "unknownAgendaItem");
    public static readonly ProblemCode UnknownInvitee = new(409, "unknownInvitee");
    public static readonly ProblemCode UnknownParticipant = new(409, "unknownParticipant");
    public static readonly ProblemCode UseReschedule = new(409, "useReschedule");
    public static readonly ProblemCode VotingPeriodTooShort = new(409, "votingPeriodTooShort");
    public static readonly ProblemCode WindowEnded = new(409, "windowEnded");
    public static readonly ProblemCode AccountLocked = new(429, "accountLocked");

    /// <summary>The faults of a tally (<see cref="Voting.TallyException"/>, 400, the first fault's code): POST /api/tally.</summary>
    /// <summary>The uploaded register is not an XLSX workbook or CSV text (or unpacks to an implausible size).</summary>
    public static readonly ProblemCode RegisterNotSpreadsheet = new(400, "registerNotSpreadsheet");
    /// <summary>The register's header row lacks a required column.</summary>
    public static readonly ProblemCode RegisterMissingColumns = new(400, "registerMissingColumns");
    /// <summary>A cell of the register holds a formula.</summary>
    public static readonly ProblemCode RegisterFormula = new(400, "registerFormula");
    /// <summary>The register's sheet has merged cells.</summary>
    public static readonly ProblemCode RegisterMergedCells = new(400, "registerMergedCells");
    /// <summary>The register has more rows than an import takes.</summary>
    public static readonly ProblemCode RegisterTooManyRows = new(400, "registerTooManyRows");
    /// <summary>The register's header row names a column twice.</summary>
    public static readonly ProblemCode RegisterDuplicateColumn = new(400, "registerDuplicateColumn");
    /// <summary>The preview has problems; it cannot be applied.</summary>
    public static readonly ProblemCode RegisterHasProblems = new(409, "registerHasProblems");
    /// <summary>The register changed since the preview (another import was applied).</summary>
    public static readonly ProblemCode RegisterChanged = new(409, "registerChanged");
    /// <summary>The preview retires units from an empty file or more than a fifth of the register: apply needs confirmRemovals = that
    /// number.</summary>
    public static readonly ProblemCode RegisterConfirmRemovals = new(409, "registerConfirmRemovals");

    public static readonly ProblemCode[] TallyFaults =
    [
        new(400, Voting.TallyFaultCodes.UnknownRule), new(400, Voting.TallyFaultCodes.InvalidThreshold),
            new(400, Voting.TallyFaultCodes.DeemedConsentNotAllowed),
        new(400, Voting.TallyFaultCodes.EmptyElectorate), new(400, Voting.TallyFaultCodes.MissingUnit),
        new(400, Voting.TallyFaultCodes.DuplicateUnit),
        new(400, Voting.TallyFaultCodes.InvalidArea), new(400, Voting.TallyFaultCodes.InvalidOwner), new(400, Voting.TallyFaultCodes.UnknownUnit),
        new(400, Voting.TallyFaultCodes.EmptyMembers), new(400, Voting.TallyFaultCodes.InvalidMember),
        new(400, Voting.TallyFaultCodes.DuplicateMember),
        new(400, Voting.TallyFaultCodes.PresentNotMember), new(400, Voting.TallyFaultCodes.UnknownVoter), new(400, Voting.TallyFaultCodes.NotAMember),
        new(400, Voting.TallyFaultCodes.AbsentMember), new(400, Voting.TallyFaultCodes.UnknownChoice),
        new(400, Voting.TallyFaultCodes.ConflictingBallots),
        new(400, Voting.TallyFaultCodes.TooManyFaults),
    ];

    // Administration (Organisation/OrgAdminApi.cs, Identity/UsersApi.cs)
    public static readonly ProblemCode NodeRetired = new(409, "nodeRetired");
    public static readonly ProblemCode LevelOutOfOrder = new(409, "levelOutOfOrder");
    public static readonly ProblemCode MoveIntoItself = new(409, "moveIntoItself");
    public static readonly ProblemCode NodeHasHistory = new(409, "nodeHasHistory");
    public static readonly ProblemCode NodeInUse = new(409, "nodeInUse");
    /// <summary>Another live node of the same level already has the name (buildings: in the community; others: under the parent).</summary>
    public static readonly ProblemCode NameTaken = new(409, "nameTaken");
    public static readonly ProblemCode UserNameTaken = new(409, "userNameTaken");
    public static readonly ProblemCode PasswordChangeRequired = new(403, "passwordChangeRequired");
}
