using Deliberate.Server.Api;
using Deliberate.Server.Execution;
using Deliberate.Server.Minutes;

namespace Deliberate.Tests.Minutes;

/// <summary>
/// Realistic sample documents (a community, its parties, their words and figures are made up) for
/// the tests and the benchmark (which compiles this file in: see Deliberate.Bench.csproj).
/// </summary>
public static class MinutesSamples
{
    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, ChinaTime.Offset);

    /// <summary>
    /// 幸福里社区's fourth-quarter joint meeting of the four parties (社区党委、业委会、物业公司、
    /// 居民代表) on adding a lift to building 3 and on parking, with votes under 民法典第二百七十八条.
    /// </summary>
    public static MinutesDocument FourPartyMeeting() => new(
        MeetingName: "幸福里社区四方联席会议",
        Start: At(2026, 11, 20, 14, 30),
        End: At(2026, 11, 20, 16, 45),
        Place: "幸福里社区党群服务中心二楼红色议事厅",
        Chair: "王建华（社区党委书记）",
        Recorder: "李晓雯（社区党委委员）",
        Present:
        [
            new("社区党委", ["王建华", "李晓雯", "陈志刚"]),
            new("业委会", ["赵德明（主任）", "孙丽萍", "周海涛"]),
            new("物业公司", ["刘　伟（幸福里物业服务中心经理）", "吴　静"]),
            new("居民代表", ["张桂兰（3号楼）", "郑国强（3号楼）", "何美玲（5号楼）", "钱立新（7号楼）"]),
        ],
        Attending: ["林涛（街道城建科）", "黄小燕（第二网格网格员）", "马骏（电梯公司技术代表）"],
        OnLeave: ["冯建国（业委会委员，出差）"],
        Absent: [],
        ExpectedCount: 13,
        PresentCount: 12,
        Agenda:
        [
            new("3号楼加装电梯方案及费用分摊",
            [
                new("社区党委", "加装电梯是“我为群众办实事”的重点项目。3号楼共18户，60岁以上老人27名，需求迫切。社区党委将统筹街道城建科和住建部门，帮助申请每台最高20万元的财政补贴，并组织党员中心户逐户走访，做好低楼层住户的沟通工作。"),
                new("业委会", "业委会支持加装电梯，建议费用按楼层梯度分摊：一层不分摊，二层系数0.5，三层1.0，四层1.3，五层1.5，六层1.7。本次加装所需资金由3号楼业主自筹，不动用专项维修资金。"),
                new("物业公司", "物业公司负责施工期间的现场管理和安全围挡，电梯投入使用后纳入日常维保，年维保费用约1.2万元，由3号楼业主按分摊比例承担。施工期间3号楼前8个车位临时调整至地下车库。"),
                new("居民代表", "张桂兰代表高层住户表示，家中老人上下楼困难，希望尽快开工；一层住户郑国强提出采光和噪声顾虑，要求井道采用玻璃幕墙并避开卧室窗户，施工时间限定在8:00—12:00、14:00—18:00。"),
            ])
            {
                Conclusion = "各方同意按梯度系数分摊费用，设计单位根据一层住户意见优化井道位置，方案已经3号楼业主表决通过，按程序报批后实施。",
            },
            new("小区停车管理及收费标准调整",
            [
                new("社区党委", "小区现有地面车位126个、登记车辆213辆，乱停乱放占用消防通道。建议推行“错时共享”，与相邻的幸福里小学协商夜间开放操场停车位40个。"),
                new("业委会", "停车收费标准调整属于业主共同决定事项。业委会建议地面临时停车前2小时免费，此后每小时2元，24小时内最高20元；收益扣除管理成本后归全体业主所有，每季度公示。"),
                new("物业公司", "物业公司同意施划消防通道禁停标线，并在东门加装车牌识别系统，预计投入3.5万元，从停车收益中列支。"),
                new("居民代表", "希望优先保障老年人、残疾人就医接送车辆临时停靠，建议在5号楼、7号楼之间设置2个临时停靠位。"),
            ])
            {
                Conclusion = "停车收费标准调整方案已经业主书面表决通过；夜间共享停车由社区党委牵头与学校协商。",
            },
            new("2026年第三季度物业服务评价结果通报",
            [
                new("社区党委", "第三季度物业服务综合评分82.6分（街道、社区、业主评价各占30%，行业主管部门评价占10%），评定为A级。"),
                new("业委会", "业主对保洁和绿化较为满意，对电梯维保响应速度意见较多，要求物业公司制定整改措施。"),
                new("物业公司", "承诺电梯故障30分钟内到场处置，每月在公告栏公示维保记录。"),
                new("居民代表", "希望评价结果在小区公告栏公示，接受全体居民监督。"),
            ]),
        ],
        Votes:
        [
            new("3号楼加装电梯方案及费用分摊方案",
                "《中华人民共和国民法典》第二百七十八条（改建建筑物及其附属设施）",
                ["参与表决：专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决",
                 "通过：经参与表决专有部分面积四分之三以上且参与表决人数四分之三以上的业主同意"],
                new HeadcountTally(Eligible: 18, Participating: 17, Agree: 15, Disagree: 1, Abstain: 1),
                new AreaTally(Eligible: 1632.40m, Participating: 1541.80m, Agree: 1368.20m, Disagree: 89.30m, Abstain: 84.30m),
                VoteOutcome.Passed)
            {
                Note = "表决范围为3号楼全体业主，采用书面征求意见方式，于2026年11月5日至11月18日进行。",
            },
            new("地面停车收费标准调整方案",
                "《中华人民共和国民法典》第二百七十八条（其他重大事项）",
                ["参与表决：专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决",
                 "通过：经参与表决专有部分面积过半数且参与表决人数过半数的业主同意"],
                new HeadcountTally(Eligible: 1486, Participating: 1032, Agree: 702, Disagree: 241, Abstain: 89),
                new AreaTally(Eligible: 138520.36m, Participating: 97630.12m, Agree: 66210.55m, Disagree: 23105.80m, Abstain: 8313.77m),
                VoteOutcome.Passed),
            new("与幸福里小学开展夜间共享停车",
                "四方联席会议议事规则（出席人员过半数同意）",
                ["通过：同意人数超过出席人数的二分之一"],
                new HeadcountTally(Eligible: 12, Participating: 12, Agree: 11, Disagree: 0, Abstain: 1),
                null,
                VoteOutcome.Passed),
        ],
        Resolutions:
        [
            new("3号楼加装电梯按楼层梯度系数分摊费用，启动设计和施工招标，协助业主申请财政补贴。", "业委会、社区党委", new DateOnly(2026, 12, 31)),
            new("优化3号楼电梯井道位置，采用玻璃幕墙，书面答复一层住户关于采光和噪声的意见。", "物业公司", new DateOnly(2026, 12, 15)),
            new("施划东门消防通道禁停标线，加装车牌识别系统。", "物业公司", new DateOnly(2026, 12, 10)),
            new("与幸福里小学签订夜间共享停车协议，开放操场停车位40个。", "社区党委", new DateOnly(2027, 1, 15)),
            new("在5号楼、7号楼之间设置2个老年人、残疾人接送临时停靠位。", "物业公司", new DateOnly(2026, 12, 5)),
            new("停车收益扣除管理成本后每季度在公告栏和小区微信群公示。", "业委会", new DateOnly(2027, 1, 10)),
            new("针对第三季度评价中集中反映的电梯维保问题限期整改，并向居民反馈整改结果。", "物业公司", new DateOnly(2026, 12, 20)),
        ],
        Signatories: ["社区党委", "业委会", "物业公司", "居民代表"])
    {
        Issue = "（2026年第四季度）",
    };

    /// <summary>
    /// The sample meeting stretched to <paramref name="agendaItems"/> agenda items with long
    /// opinions and <paramref name="resolutions"/> resolutions: a document of many pages for tests
    /// and the benchmark (40 items and 60 resolutions make about 30 pages).
    /// </summary>
    public static MinutesDocument LongMeeting(int agendaItems, int resolutions)
    {
        var sample = FourPartyMeeting();
        var opinions = sample.Agenda.SelectMany(a => a.Opinions).ToList();
        var agenda = Enumerable.Range(0, agendaItems).Select(i =>
        {
            var baseItem = sample.Agenda[i % sample.Agenda.Count];
            return new AgendaItem($"{baseItem.Title}（第{i + 1}项）",
                sample.Present.Select((p, k) =>
                {
                    var a = opinions[(i + k) % opinions.Count].Opinion;
                    var b = opinions[(i + k + 5) % opinions.Count].Opinion;
                    return new PartyOpinion(p.Party, a + b);
                }).ToList())
            {
                Conclusion = baseItem.Conclusion,
            };
        }).ToList();
        var resolutionList = Enumerable.Range(0, resolutions).Select(i =>
        {
            var r = sample.Resolutions[i % sample.Resolutions.Count];
            return r with { Text = $"（第{i + 1}条）{r.Text}", Deadline = r.Deadline?.AddDays(i) };
        }).ToList();
        return sample with { Agenda = agenda, Resolutions = resolutionList };
    }

    /// <summary>The owners' vote on parking charges, posted as a ballot result notice.</summary>
    public static BallotNoticeDocument ParkingBallotNotice() => new(
        Matter: "幸福里小区地面停车收费标准调整方案",
        Rule: "《中华人民共和国民法典》第二百七十八条（其他重大事项）",
        Thresholds:
        [
            "参与表决：专有部分面积占比三分之二以上且人数占比三分之二以上的业主参与表决",
            "通过：经参与表决专有部分面积过半数且参与表决人数过半数的业主同意",
        ],
        VotingStart: At(2026, 11, 5, 9, 0),
        VotingEnd: At(2026, 11, 18, 18, 0),
        Headcount: new HeadcountTally(Eligible: 1486, Participating: 1032, Agree: 702, Disagree: 241, Abstain: 89),
        Area: new AreaTally(Eligible: 138520.36m, Participating: 97630.12m, Agree: 66210.55m, Disagree: 23105.80m, Abstain: 8313.77m),
        Outcome: VoteOutcome.Passed,
        PostingStart: new DateOnly(2026, 11, 21),
        PostingEnd: new DateOnly(2026, 11, 27),
        Issuer: "幸福里小区业主委员会",
        IssuedOn: new DateOnly(2026, 11, 20))
    {
        ObjectionContact = "业委会办公室（幸福里社区党群服务中心一楼）",
        Note = "本次表决采用书面征求意见方式，表决票由楼栋长逐户送达并留存送达记录，计票过程由社区党委、业主代表现场监督。",
    };

    /// <summary>The closing report of a resident's matter: cars blocking the east gate's fire lane.</summary>
    public static ClosingReportDocument FireLaneClosingReport() => new(
        MatterTitle: "小区东门消防通道被占用",
        Category: "停车管理",
        Place: "幸福里小区东门（第二网格）",
        Timeline:
        [
            new(At(2026, 10, 12, 9, 20), "居民提事", "何美玲（5号楼居民）", "通过“随手拍”反映东门消防通道长期被私家车占用，救护车曾无法进入。"),
            new(At(2026, 10, 12, 10, 5), "网格听事", "黄小燕（第二网格网格员）", "现场核实通道内停放车辆9辆，判定为“大事”，提交社区议事。"),
            new(At(2026, 10, 26, 14, 30), "社区议事", "四方联席会议", "社区党委、业委会、物业公司、居民代表专题议事，形成停车管理方案。"),
            new(At(2026, 11, 18, 18, 0), "民主定事", "幸福里小区业主委员会", "业主书面表决通过地面停车收费标准调整方案，结果于11月21日起公示7日。"),
            new(At(2026, 12, 10, 17, 0), "协同办事", "幸福里物业服务中心", "施划禁停标线120米，东门车牌识别系统投入使用。"),
            new(At(2026, 12, 18, 10, 0), "群众评事", "第二网格受影响居民", "112户参与评价。"),
        ],
        Resolutions:
        [
            new("施划东门消防通道禁停标线，加装车牌识别系统。", "物业公司", new DateOnly(2026, 12, 10), "已完成，验收合格", new DateOnly(2026, 12, 10)),
            new("在5号楼、7号楼之间设置2个老年人、残疾人接送临时停靠位。", "物业公司", new DateOnly(2026, 12, 5), "已完成", new DateOnly(2026, 12, 3)),
        ],
        WorkItems:
        [
            new("清理消防通道内长期停放车辆，逐一联系车主。", "物业公司", new DateOnly(2026, 11, 30), "清理车辆9辆，其中2辆僵尸车移交交警处理", new DateOnly(2026, 11, 28)),
            new("在小区公告栏和微信群公示新停车收费标准。", "业委会", new DateOnly(2026, 11, 27), "已公示", new DateOnly(2026, 11, 21)),
        ],
        Rating: new RatingSummary(Satisfied: 86, BasicallySatisfied: 21, Dissatisfied: 5),
        ClosedOn: new DateOnly(2026, 12, 20),
        Issuer: "幸福里社区党委")
    {
        Reference = "XFL-2026-0153",
        RaisedOn = new DateOnly(2026, 10, 12),
        Conclusion = "该事项经“六事工作法”办理完毕，群众满意率达到规定标准，同意办结。物业公司应将东门消防通道纳入日常巡查，网格员每周回访一次，持续一个月。",
    };
}
