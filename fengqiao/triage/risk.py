"""Risk flags and level for a dispute narrative — rules a reviewer can read.

Each flag is a set of patterns written from the labelling guide
(``data/RISK_GUIDE.md``) and the experience of mediators, with exclusions for the
hyperbole and ordinary words that look alarming but are not ("气死我了", "杀猪",
"用锄头挖地"). A flag is raised when a pattern matches and no exclusion covers the
match; the reasons quote the words that raised it. Facts known from the record
(people involved, parties' ages from ID numbers, earlier disputes between the same
parties) add flags that the words alone cannot show.

Level (guide §Level): high for violence or threats, weapons, self-harm or 民转刑
signs, or a mass dispute with an upward petition or gathering, or extreme words on
a repeat dispute; medium for any other flag; low otherwise. High-risk disputes
likely to turn violent are reported to the police (人民调解法 Art. 25).
"""

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fengqiao.triage.risk_model import RiskScores


class Flag(StrEnum):
    VIOLENCE_THREAT = "violence_threat"
    WEAPON = "weapon"
    SELF_HARM = "self_harm"
    EXTREME_WORDS = "extreme_words"
    MASS_DISPUTE = "mass_dispute"
    VULNERABLE_PARTY = "vulnerable_party"
    REPEAT_DISPUTE = "repeat_dispute"
    UPWARD_PETITION = "upward_petition"
    CIVIL_TO_CRIMINAL = "civil_to_criminal"


FLAG_NAMES = {
    Flag.VIOLENCE_THREAT: "暴力或威胁",
    Flag.WEAPON: "凶器",
    Flag.SELF_HARM: "自伤自杀",
    Flag.EXTREME_WORDS: "极端言论",
    Flag.MASS_DISPUTE: "群体性纠纷",
    Flag.VULNERABLE_PARTY: "弱势当事人",
    Flag.REPEAT_DISPUTE: "重复纠纷",
    Flag.UPWARD_PETITION: "越级上访",
    Flag.CIVIL_TO_CRIMINAL: "民转刑风险",
}


class Level(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


LEVEL_NAMES = {Level.HIGH: "高", Level.MEDIUM: "中", Level.LOW: "低"}

# Ten or more (群体性: about 10 people or more, guide §Flags): 12, 十几, 二十多, 上百, 几十…
_NUM = r"(?:[1-9][0-9]+|十[几余多来]?|[二三四五六七八九两]十[几余多来]?|[一二三四五六七八九两]?百[几余多来]?|数十|上百|几十|好几十)"


def _any(*alternatives: str) -> str:
    return "|".join(alternatives)


# flag -> (patterns that raise it, patterns that excuse a match overlapping them)
_PERSON = r"(?:他|她|你|我|对方|申请人|被申请人|人|老人|孩子|娃儿|邻居|老板|工人|村民|媳妇|丈夫|妻子|老公|老婆|婆婆|儿子|女儿|哥|弟|姐|妹)"
_HURT = r"(?:受伤|致伤|轻伤|重伤|骨折|缝了.{0,3}针|头破血流|划了.{0,3}口子|流血|出血|淤青|青一块|打进了?医院|送医|住院观察|门牙|眼睛肿)"

RULES: dict[Flag, tuple[str, str]] = {
    Flag.VIOLENCE_THREAT: (
        _any(
            r"打[了伤断破架起]",
            r"殴打",
            r"打人",
            r"动手",
            r"动了手",
            r"拳打脚踢",
            r"一拳",
            r"一脚",
            r"几拳",
            r"几脚",
            r"扇了?.{0,4}耳光",
            r"耳光",
            r"推了.{0,3}一把",
            r"推倒",
            r"推搡",
            r"掐.{0,2}脖子",
            r"揪.{0,2}头发",
            r"扭打",
            r"厮打",
            r"撕扯",
            r"被打",
            r"互殴",
            r"打得",
            r"朝.{0,4}打",
            r"抓破",
            r"咬伤",
            r"踢[飞伤倒翻]",
            r"砸[了烂坏毁碎伤]",
            r"砸[他她]家",
            r"扔石头",
            r"踹",
            r"围殴",
            r"群殴",
            r"对峙",
            r"弄死",
            r"整死",
            r"打死",
            r"杀了[他她你]",
            r"要[他她你]的命",
            r"要[他她你]好看",
            r"有你好看",
            r"你等着",
            r"让[他她你]?.{0,6}(?:好看|吃不了兜着走|付出代价|过不好|不得安宁|没好日子)",
            r"饶不了",
            r"不会放过",
            r"收拾[他她你]",
            r"威胁",
            r"恐吓",
            r"扬言.{0,12}(?:打|杀|砍|弄|收拾|烧|砸|报复|死|命|好看|代价|点了|炸)",
            r"放火",
            r"点了[他她你]?.{0,4}房",
            r"烧[了他她]?.{0,3}房",
            r"烧[他她]家",
            r"泼.{0,3}(?:汽油|硫酸|粪)",
            r"堵.{0,2}门.{0,4}(?:打|骂|闹)",
            r"报复[他她你对]",
            _HURT,
        ),
        _any(
            r"打[了个]?电话",
            r"打工",
            r"打官司",
            r"打印",
            r"打算",
            r"打扫",
            r"打听",
            r"打款",
            r"打折",
            r"打井",
            r"打卡",
            r"打[了]?欠条",
            r"打[了]?借条",
            r"打[了]?收条",
            r"打[了]?招呼",
            r"打[了]?麻将",
            r"打[了]?农药",
            r"打[了]?(?:高毒|除草)",
            r"住院费",
            r"住院治疗.{0,4}(?:疾病|生病)",
            r"(?:工伤|上班|干活|摔|跌|滑倒|车祸|交通事故).{0,8}(?:受伤|骨折|住院)",
            r"(?:受伤|骨折).{0,4}(?:工伤|上班|干活)",
            r"摔.{0,4}受伤",
            r"木块.{0,4}砸",
            r"(?:冰雹|树枝|高空).{0,4}砸",
            r"(?:未|没有?|并未|不曾)(?:动手|打人|发生肢体冲突)",
            r"威胁.{0,4}(?:上访|起诉|告|曝光|投诉)",
            r"打架的事.{0,6}(?:早|已经)",
            r"(?:早|已经|多年前).{0,8}打过架",
        ),
    ),
    Flag.WEAPON: (
        _any(
            r"(?:拿|持|提|拎|揣|举|抄|挥|带|握)[着了起出]?.{0,6}(?:刀|斧|锄|镰|钉耙|耙子|棍|棒|铁锹|锹|钢管|铁棍|砖|枪|扁担|钢钎|刀片|汽油|硫酸)",
            r"(?:刀|斧头|锄头|镰刀|钉耙|铁锹|钢管|砖头|扁担|木棒|铁棍).{0,6}(?:砍|追|打|捅|威胁|比划|伤|朝|挥)",
            r"砍[伤了人他她]",
            r"捅[伤了人他她]",
            r"匕首",
            r"杀猪刀.{0,6}(?:去|找|追|威胁)",
            r"菜刀.{0,6}(?:追|砍|威胁|朝)",
            r"(?:枪支|猎枪|土枪|气枪|火药枪)",
            r"炸药",
            r"雷管",
            r"汽油瓶",
            r"(?:一|两|几)桶汽油",
            r"一瓶汽油",
            r"硫酸",
            r"刀片",
        ),
        _any(
            r"(?:用|拿)(?:锄头|斧头|镰刀|铁锹)(?:挖|锄|翻|劈|割|砍柴|劈柴)",
            r"劈柴",
            r"镰刀(?:割|收)",
            r"刀(?:借|被借|未还|没还)",
            r"刀具(?:被|找不到|丢)",
            r"水枪",
            r"枪手",
            r"刀具店",
            r"卖刀",
            r"砍(?:了|掉)?.{0,3}(?:树|竹|柴)",
        ),
    ),
    Flag.SELF_HARM: (
        _any(
            r"不想活",
            r"不活了",
            r"活不下去",
            r"寻死",
            r"自杀",
            r"轻生",
            r"死给[他她你们]+看",
            r"一死了之",
            r"遗书",
            r"(?:喝|吃|吞|拧开|拿出).{0,6}(?:农药|敌敌畏|百草枯|老鼠药|安眠药|药片|一把药)",
            r"喝药",
            r"(?:跳楼|跳河|跳江|跳桥|跳崖|跳下去|跳下来|跳岷江|跳长江)",
            r"(?:从|到|爬上|站在|坐在).{0,10}(?:楼顶|楼上|塔吊|脚手架|大桥|桥上|江边|楼顶边缘|天台)",
            r"上吊",
            r"吊死",
            r"把自己吊",
            r"吊起来",
            r"割腕",
            r"割了?.{0,2}手腕",
            r"撞墙",
            r"以死相逼",
            r"把自己点了",
            r"自焚",
            r"(?:我|他|她)死了.{0,6}(?:你们|就)",
            r"(?:要|就)(?:饿死|死)在",
            r"死在.{0,8}(?:门口|家里|村委会|政府|工地|这里|地边)",
        ),
        _any(
            r"累死",
            r"笑死",
            r"饿死了",
            r"热死",
            r"冷死",
            r"气死",
            r"烦死",
            r"吵死",
            r"困死",
            r"急死",
            r"忙死",
            r"臭死",
            r"吓死",
            r"开玩笑",
            r"(?:想|要)跳楼.{0,4}(?:的心都有|玩笑)",
        ),
    ),
    Flag.EXTREME_WORDS: (
        _any(
            r"同归于尽",
            r"拼了",
            r"拼命",
            r"一起死",
            r"一起完蛋",
            r"鱼死网破",
            r"报复社会",
            r"血债",
            r"不得好死",
            r"豁出去",
            r"(?:老)?命(?:都)?不要了",
            r"这条(?:老)?命",
            r"坐牢也要",
            r"大不了.{0,6}(?:坐牢|一死|去死|拼|完蛋)",
            r"杀[他她]全家",
            r"灭门",
            r"要么.{0,3}死要么.{0,3}死",
            r"垫背",
            r"跟[他她你].{0,4}没完",
            r"不共戴天",
        ),
        _any(r"拼命(?:干活|工作|挣钱|赶|读书)", r"拼了命地?(?:干|挣)"),
    ),
    Flag.MASS_DISPUTE: (
        _any(
            _NUM + r"(?:多|余|来)?(?:名|个|位|户|人)",
            _NUM + r"(?:多|余)?户",
            r"全村",
            r"全组",
            r"全乡",
            r"整个(?:村|组|小区)",
            r"[一二三四五六七八九十0-9]+组(?:的)?村民",
            r"集体(?:上访|讨薪|维权|到|去|坐|找)",
            r"联合起来",
            r"一起(?:去|到|堵|找)",
            r"(?:聚集|围堵|堵路|堵门|拉横幅|拉条幅|静坐|围攻|团团围住|围在|拦在路上|堵住|堵在)",
            r"一群(?:人|村民|工人)",
            r"群体",
            r"众多(?:业主|村民|工人)",
            r"全体(?:业主|工人|村民)",
            r"(?:两|几)个村.{0,6}(?:对峙|冲突|争)",
        ),
        _any(
            r"群体性?(?:事件)?风险(?:较)?低",
            r"(?:一|两|三)户",
            r"围观",
            r"看热闹",
            r"(?:十|[0-9]{2})(?:几|多)?(?:年|天|个月|岁|万|元|块|米|亩|斤|公里|次)",
        ),
    ),
    Flag.VULNERABLE_PARTY: (
        _any(
            r"未成年",
            r"未满(?:十八|18)",
            r"(?:[七八九]十|[7-9][0-9])(?:多|几)?岁",
            r"孤寡",
            r"独居",
            r"空巢",
            r"留守",
            r"残疾",
            r"残障",
            r"瘫痪",
            r"智力障碍",
            r"智障",
            r"精神(?:病|残疾|障碍|疾病)",
            r"癌症",
            r"重病",
            r"尿毒症",
            r"绝症",
            r"孕妇",
            r"怀孕",
            r"孕期",
            r"(?:[一二三四五六七八九十]|十[一二三四五六七]|1[0-7]|[1-9])岁",
            r"幼儿",
            r"婴儿",
            r"盲人",
            r"聋哑",
            r"低保户",
            r"五保户",
            r"高龄",
            r"坐轮椅",
            r"拄拐",
            r"拐杖",
            r"卧床",
            r"学生",
        ),
        _any(r"残疾人证?办理", r"怀疑.{0,3}怀孕", r"(?:[1-9]|[一二三四五六七八九])岁(?:时|那年)"),
    ),
    Flag.REPEAT_DISPUTE: (
        _any(
            r"又(?:一次|因|为|闹|发生|起|来|找|吵|打|把|被|到|去)",
            r"又起了?",
            r"再次",
            r"多次",
            r"反复",
            r"屡次",
            r"几次",
            r"第[二三四五六七八九十0-9]+次",
            r"[二三四五六七八九十0-9两]次(?:到|来|去|找|调解|上门)",
            r"(?:去年|前年|上次|之前|此前|以前|曾经?)(?:已|就)?(?:经)?(?:调解|调处|协调)过",
            r"调解过的",
            r"(?:协议|调解).{0,10}(?:又|反悔|不履行|没履行|未履行|不执行|没执行|不认账)",
            r"旧事重提",
            r"老矛盾",
            r"积怨",
            r"多年(?:纠纷|矛盾)",
            r"(?:闹|吵|争)了.{0,3}(?:年|几年|好几年)",
            r"(?:已经|已)(?:闹|吵)了",
        ),
        _any(r"再次感谢", r"又好又快", r"又哭又闹", r"又是.{0,2}(?:哭|骂)", r"几次(?:电话|短信)"),
    ),
    Flag.UPWARD_PETITION: (
        _any(
            r"越级",
            r"(?:去|到|找|上)(?:省里|省城|省政府|省委|北京|中央|国务院|市政府|市委|市里|成都|省.{0,6}厅|省.{0,4}局)",
            r"进京",
            r"上访",
            r"信访",
            r"找媒体",
            r"找记者",
            r"网上发帖.{0,6}(?:上访|告)",
            r"(?:讨|要)说法.{0,4}(?:省|市|北京)",
        ),
        _any(
            r"(?:无|没有|不会|不去)(?:去)?上访",
            r"信访(?:部门)?(?:转|移送|交办)",
            r"信访局(?:转来|移送)",
            r"(?:去|到)(?:成都|市里|北京|省城).{0,6}(?:打工|看病|上学|读书|工作|旅游|买|卖|送货)",
        ),
    ),
    Flag.CIVIL_TO_CRIMINAL: (
        _any(
            r"民转刑",
            r"下毒",
            r"投毒",
            r"下[了]?药",
            r"毒死",
            r"药死",
            r"跟踪",
            r"尾随",
            r"蹲守",
            r"守在.{0,6}(?:门口|路口|家门)",
            r"(?:自己|私下)的?(?:办法)?(?:解决|了断|了结|处理)",
            r"自己来了结",
            r"用我自己的办法",
            r"找人.{0,4}(?:收拾|教训|打)",
            r"雇人",
            r"叫了.{0,6}(?:社会上的人|人来)",
            r"扣押",
            r"扣下",
            r"关在",
            r"关起来",
            r"关了",
            r"锁在",
            r"不让.{0,4}(?:走|离开|出门)",
            r"非法拘禁",
            r"(?:强行|抢).{0,4}(?:拿走|抢走|开走|拉走)",
            r"故意(?:毁坏|损坏|破坏|砸)",
            r"(?:剪断|割断|挖断|拆了|推倒|碾毁|毁了|砍倒|砍了).{0,8}(?:庄稼|秧苗|果树|树苗|电线|水管|围墙|墙|管子|苗)",
            r"(?:庄稼|秧苗|果树|树苗|电线|水管|围墙|苗).{0,6}(?:剪断|割断|挖断|推倒|碾毁|毁了|砍倒)",
            r"(?:喷|撒|倒).{0,4}(?:除草剂|农药|毒药).{0,8}(?:地|田|塘|树)",
            r"(?:毒|药)死.{0,4}(?:鸡|鸭|鱼|猪|牛|羊|狗)",
            r"划(?:破|坏|了).{0,6}(?:轮胎|车)",
            r"轮胎.{0,4}(?:划破|扎破)",
            r"私密照|裸照|不雅照",
            r"(?:推翻|推下|开到沟)",
            r"纵火",
            r"放火",
            r"汽油瓶",
            r"矛盾(?:越来越)?激化",
            r"越来越激烈",
            r"随时可能(?:发生|出事|动手)",
            r"冲突升级",
            r"下场",
            r"已经?报(?:案|警)",
            r"民警(?:已)?(?:到场|出警)",
        ),
        _any(
            r"(?:已|已经)(?:自行)?(?:协商)?解决",
            r"自己解决不了",
            r"喝.{0,2}药死",
            r"农药死",
            r"跟踪.{0,4}(?:朋友圈|微博|抖音|动态)",
            r"(?:朋友圈|微博|抖音).{0,4}跟踪",
            r"关了?(?:门|店|灯|机)",
            r"关了.{0,2}(?:几天|一段时间)的?(?:门|店)",
        ),
    ),
}

_COMPILED = {flag: (re.compile(hit), re.compile(excuse)) for flag, (hit, excuse) in RULES.items()}

# The model's probability above which it raises a flag despite a harmless reading.
MODEL_OVERRULES_EXCUSE = 0.6

# Facts from the record: how many people (群体性 when ten or more claim one matter).
MASS_PEOPLE = 10
ELDERLY_AGE = 70


@dataclass(frozen=True)
class Facts:
    """What the record knows beyond the words."""

    people_involved: int | None = None
    party_ages: tuple[int, ...] = ()
    earlier_disputes: int = 0


@dataclass
class RiskAssessment:
    level: Level
    flags: list[Flag]
    reasons: list[str] = field(default_factory=list)

    @property
    def is_high(self) -> bool:
        return self.level == Level.HIGH


def _matches(text: str, flag: Flag) -> list[str]:
    hit, excuse = _COMPILED[flag]
    excused = [m.span() for m in excuse.finditer(text)]
    found = []
    for m in hit.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in excused):
            continue
        found.append(m.group(0))
    return found


def assess(text: str, facts: Facts | None = None, scores: "RiskScores | None" = None) -> RiskAssessment:
    """Flags, level and reasons for one (normalised) narrative.

    ``scores`` are the learned model's probabilities for the same text (risk_model):
    a flag the rules missed is raised when the model is confident enough."""
    facts = facts or Facts()
    flags: list[Flag] = []
    reasons: list[str] = []
    for flag in Flag:
        words = _matches(text, flag)
        if words:
            flags.append(flag)
            quoted = "、".join(f"“{w}”" for w in dict.fromkeys(words[:3]))
            reasons.append(f"{FLAG_NAMES[flag]}：文中出现{quoted}")
    if scores is not None:
        for flag in scores.raised():
            p = scores.probs[flag.value]
            # A word the rules know to be harmless here ("笑死", "劈柴") vetoes an unsure model.
            if flag in flags or (p < MODEL_OVERRULES_EXCUSE and _COMPILED[flag][1].search(text)):
                continue
            flags.append(flag)
            reasons.append(f"{FLAG_NAMES[flag]}：模型根据全文判断（概率{p:.2f}）")
    if (
        facts.people_involved is not None
        and facts.people_involved >= MASS_PEOPLE
        and Flag.MASS_DISPUTE not in flags
    ):
        flags.append(Flag.MASS_DISPUTE)
        reasons.append(f"{FLAG_NAMES[Flag.MASS_DISPUTE]}：涉及{facts.people_involved}人")
    vulnerable_ages = [a for a in facts.party_ages if a < 18 or a >= ELDERLY_AGE]
    if vulnerable_ages and Flag.VULNERABLE_PARTY not in flags:
        flags.append(Flag.VULNERABLE_PARTY)
        reasons.append(
            f"{FLAG_NAMES[Flag.VULNERABLE_PARTY]}：当事人年龄{'、'.join(map(str, vulnerable_ages))}岁"
        )
    if facts.earlier_disputes and Flag.REPEAT_DISPUTE not in flags:
        flags.append(Flag.REPEAT_DISPUTE)
        reasons.append(f"{FLAG_NAMES[Flag.REPEAT_DISPUTE]}：同一当事人此前已有{facts.earlier_disputes}件纠纷")
    flags.sort(key=list(Flag).index)
    gathering = scores is not None and scores.gathering
    return RiskAssessment(level_of(set(flags), text, gathering), flags, reasons)


_GATHERING = re.compile(r"聚集|围堵|堵路|堵门|拉横幅|拉条幅|静坐")


def level_of(flags: set[Flag], text: str = "", gathering: bool = False) -> Level:
    """The guide's level rule; ``gathering`` when people gather or block (said or inferred)."""
    severe = {Flag.VIOLENCE_THREAT, Flag.WEAPON, Flag.SELF_HARM, Flag.CIVIL_TO_CRIMINAL}
    if flags & severe:
        return Level.HIGH
    if Flag.MASS_DISPUTE in flags and (Flag.UPWARD_PETITION in flags or gathering or _GATHERING.search(text)):
        return Level.HIGH
    if {Flag.EXTREME_WORDS, Flag.REPEAT_DISPUTE} <= flags:
        return Level.HIGH
    return Level.MEDIUM if flags else Level.LOW
