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

_NUM = r"(?:[0-9]{2,}|[十百千两二三四五六七八九][十百千]?[几余多]?|数十|上百|几十|好几十|一百)"


def _any(*alternatives: str) -> str:
    return "|".join(alternatives)


# flag -> (patterns that raise it, patterns that excuse a match overlapping them)
RULES: dict[Flag, tuple[str, str]] = {
    Flag.VIOLENCE_THREAT: (
        _any(
            r"打[了伤断破架]",
            r"殴打",
            r"打人",
            r"动手",
            r"拳打脚踢",
            r"扇了?[他她我]?.?耳光",
            r"推搡",
            r"扭打",
            r"厮打",
            r"被打",
            r"互殴",
            r"打得",
            r"砸[了烂坏毁碎]",
            r"砸[他她]家",
            r"踹",
            r"弄死",
            r"整死",
            r"打死",
            r"杀了[他她你]",
            r"要[他她你]的命",
            r"要[他她你]好看",
            r"让[他她你]?.{0,4}(?:好看|吃不了兜着走|付出代价|过不好)",
            r"饶不了",
            r"不会放过",
            r"收拾[他她你]",
            r"威胁",
            r"恐吓",
            r"扬言.{0,10}(?:打|杀|砍|弄|收拾|烧|砸|报复|死|命|好看|代价)",
            r"放火",
            r"烧[了他她]?.{0,3}房",
            r"烧[他她]家",
            r"泼.{0,3}(?:汽油|硫酸|粪)",
            r"堵.{0,2}门.{0,4}(?:打|骂|闹)",
            r"报复",
            r"受伤",
            r"致伤",
            r"轻伤",
            r"重伤",
            r"头破血流",
            r"住院",
            r"缝了.{0,3}针",
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
            r"住院费",
            r"住院治疗.{0,4}(?:疾病|生病)",
            r"受伤.{0,4}(?:工伤|上班|干活|摔)",
            r"摔.{0,4}受伤",
            r"(?:未|没有?|并未|不曾)(?:动手|打人|发生肢体冲突)",
            r"威胁.{0,4}(?:上访|起诉|告|曝光|投诉)",
        ),
    ),
    Flag.WEAPON: (
        _any(
            r"(?:拿|持|提|拎|揣|举|抄|挥|带)[着了起]?.{0,4}(?:刀|斧|锄头|镰刀|棍|棒|铁锹|钢管|砖头|枪|扁担|钢钎)",
            r"(?:刀|斧|锄头|镰刀|铁锹|钢管|砖头|扁担).{0,4}(?:砍|追|打|捅|威胁|比划|伤)",
            r"砍[伤了人他她]",
            r"捅[伤了人他她]",
            r"匕首",
            r"杀猪刀",
            r"菜刀.{0,4}(?:追|砍|威胁)",
            r"枪支?",
            r"猎枪",
            r"土枪",
            r"炸药",
            r"雷管",
            r"汽油瓶",
            r"硫酸",
        ),
        _any(
            r"(?:用|拿)锄头(?:挖|锄|翻)",
            r"镰刀(?:割|收)",
            r"刀(?:借|被借|未还|没还)",
            r"水枪",
            r"枪手",
            r"刀具店",
            r"卖刀",
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
            r"喝农药",
            r"喝药",
            r"吃药.{0,3}(?:死|自杀)",
            r"安眠药",
            r"跳楼",
            r"跳河",
            r"跳江",
            r"上吊",
            r"割腕",
            r"撞墙",
            r"以死相逼",
            r"要死在",
            r"死在.{0,6}(?:门口|家里|村委会|政府|工地)",
        ),
        _any(
            r"累死",
            r"笑死",
            r"饿死",
            r"热死",
            r"冷死",
            r"气死",
            r"烦死",
            r"吵死",
            r"困死",
            r"急死",
            r"忙死",
            r"臭死",
        ),
    ),
    Flag.EXTREME_WORDS: (
        _any(
            r"同归于尽",
            r"拼了",
            r"拼命",
            r"一起死",
            r"鱼死网破",
            r"报复社会",
            r"血债",
            r"不得好死",
            r"豁出去",
            r"老命不要",
            r"坐牢也要",
            r"大不了.{0,4}(?:坐牢|一死|去死)",
            r"杀[他她]全家",
            r"灭门",
        ),
        _any(r"拼命(?:干活|工作|挣钱|赶)", r"拼了命地?(?:干|挣)"),
    ),
    Flag.MASS_DISPUTE: (
        _any(
            _NUM
            + r"(?:多|余)?(?:名|个|位|户|人)(?:农民工|工人|工友|村民|业主|群众|职工|家长|租户|商户|会员|学员|家)",
            _NUM + r"(?:多|余)?户",
            r"全村",
            r"全组",
            r"整个(?:村|组|小区)",
            r"集体(?:上访|讨薪|维权|到|去)",
            r"(?:聚集|围堵|堵路|堵门|拉横幅|拉条幅|静坐|围攻)",
            r"一群(?:人|村民|工人)",
            r"群体",
            r"众多(?:业主|村民|工人)",
            r"全体(?:业主|工人|村民)",
        ),
        _any(r"群体性?(?:事件)?风险(?:较)?低", r"(?:一|两|三)户"),
    ),
    Flag.VULNERABLE_PARTY: (
        _any(
            r"未成年",
            r"未满(?:十八|18)",
            r"(?:[七八九]十|[7-9][0-9])(?:多)?岁",
            r"孤寡",
            r"独居老人",
            r"空巢",
            r"留守(?:儿童|老人)",
            r"残疾",
            r"残障",
            r"瘫痪",
            r"智力障碍",
            r"精神(?:病|残疾|障碍)",
            r"癌症",
            r"重病",
            r"绝症",
            r"孕妇",
            r"怀孕",
            r"孕期",
            r"(?:[一二三四五六七八九十]|[0-9]{1,2})岁(?:的)?(?:孩子|儿子|女儿|小孩|男孩|女孩)",
            r"幼儿",
            r"婴儿",
            r"盲人",
            r"聋哑",
            r"低保户",
            r"五保户",
            r"高龄",
        ),
        _any(r"残疾人证?办理", r"怀疑.{0,3}怀孕"),
    ),
    Flag.REPEAT_DISPUTE: (
        _any(
            r"又(?:一次|因|为|闹|发生|起|来|找|吵|打|把)",
            r"再次",
            r"多次(?:调解|协商|争吵|发生|反映|上访|找)",
            r"反复",
            r"屡次",
            r"第[二三四五六七八九十0-9]+次",
            r"(?:去年|前年|上次|之前|此前|曾经?)(?:已|就)?(?:经)?(?:调解|调处|协调)过",
            r"调解(?:后|协议).{0,8}(?:又|反悔|不履行|没履行|未履行)",
            r"旧事重提",
            r"老矛盾",
            r"积怨",
            r"多年(?:纠纷|矛盾)",
        ),
        _any(r"再次感谢", r"又好又快"),
    ),
    Flag.UPWARD_PETITION: (
        _any(
            r"越级",
            r"(?:去|到|找|上)(?:省里|省城|省政府|省委|北京|中央|国务院|市政府|市委|市里).{0,6}(?:上访|告|反映|讨说法|讨个说法|找领导)?",
            r"进京",
            r"上访",
            r"信访",
            r"找媒体",
            r"曝光",
            r"网上发帖",
            r"找记者",
            r"抖音.{0,4}曝光",
        ),
        _any(r"(?:无|没有|不会)(?:去)?上访", r"信访(?:部门)?(?:转|移送|交办)", r"信访局(?:转来|移送)"),
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
            r"(?:自己|私下)(?:解决|了断|处理)",
            r"找人.{0,4}(?:收拾|教训|打)",
            r"雇人",
            r"叫了.{0,6}(?:社会上的人|人来)",
            r"扣押",
            r"关起来",
            r"不让.{0,4}(?:走|离开|出门)",
            r"非法拘禁",
            r"故意(?:毁坏|损坏|破坏|砸)",
            r"(?:割|砍|毁)了?.{0,4}(?:庄稼|秧苗|果树|树苗|电线|水管)",
            r"(?:毒|药)死.{0,4}(?:鸡|鸭|鱼|猪|牛|羊|狗)",
            r"纵火",
            r"放火",
            r"矛盾激化",
            r"随时可能(?:发生|出事|动手)",
            r"冲突升级",
        ),
        _any(r"(?:已|已经)(?:自行)?(?:协商)?解决", r"自己解决不了", r"喝.{0,2}药死", r"农药死"),
    ),
}

_COMPILED = {flag: (re.compile(hit), re.compile(excuse)) for flag, (hit, excuse) in RULES.items()}

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


def assess(text: str, facts: Facts | None = None) -> RiskAssessment:
    """Flags, level and reasons for one (normalised) narrative."""
    facts = facts or Facts()
    flags: list[Flag] = []
    reasons: list[str] = []
    for flag in Flag:
        words = _matches(text, flag)
        if words:
            flags.append(flag)
            quoted = "、".join(f"“{w}”" for w in dict.fromkeys(words[:3]))
            reasons.append(f"{FLAG_NAMES[flag]}：文中出现{quoted}")
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
    return RiskAssessment(level_of(set(flags), text), flags, reasons)


_GATHERING = re.compile(r"聚集|围堵|堵路|堵门|拉横幅|拉条幅|静坐")


def level_of(flags: set[Flag], text: str = "") -> Level:
    """The guide's level rule."""
    severe = {Flag.VIOLENCE_THREAT, Flag.WEAPON, Flag.SELF_HARM, Flag.CIVIL_TO_CRIMINAL}
    if flags & severe:
        return Level.HIGH
    if Flag.MASS_DISPUTE in flags and (Flag.UPWARD_PETITION in flags or _GATHERING.search(text)):
        return Level.HIGH
    if {Flag.EXTREME_WORDS, Flag.REPEAT_DISPUTE} <= flags:
        return Level.HIGH
    return Level.MEDIUM if flags else Level.LOW
