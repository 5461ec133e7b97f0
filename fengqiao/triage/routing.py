"""繁简分流 and 分层递进 at intake: is the dispute simple or complex, which tier should take
it, and which route suits it — each with its reasons and, where a law decides, its article.

Pure rules over what triage and the record know; the officer confirms or overrides.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from fengqiao.cases.choices import DisputeType, Tier, TransferTarget
from fengqiao.triage.risk import Flag, Level, RiskAssessment

# Amounts (元) above which a dispute is no longer a village matter.
TOWNSHIP_AMOUNT = Decimal(50_000)
COUNTY_AMOUNT = Decimal(500_000)
TOWNSHIP_PEOPLE = 5
COUNTY_PEOPLE = 30

# Types that need specialised knowledge or several departments (county level).
COUNTY_TYPES = frozenset({DisputeType.LAND_REQUISITION, DisputeType.ENVIRONMENT, DisputeType.MEDICAL})
# Types whose facts (boundaries, titles, contracts for land) a village seldom settles alone.
TOWNSHIP_TYPES = frozenset(
    {
        DisputeType.HOUSING_HOMESTEAD,
        DisputeType.FOREST_LAND,
        DisputeType.INTELLECTUAL_PROPERTY,
        DisputeType.LABOUR,
    }
)

_ADMIN_ACT = re.compile(
    r"政府|行政处罚|罚款决定|吊销|不予登记|不予批准|征收决定|拆除决定|城管|行政机关|国土|自然资源局|住建局"
)
_LITIGATION = re.compile(r"起诉|打官司|诉讼|法院判")
_HARDSHIP = re.compile(r"低保|困难|没钱请律师|请不起律师|五保|残疾|农民工讨薪|讨要工资|拖欠工资")


@dataclass
class Routing:
    complex: bool
    tier: Tier
    channel: str  # "mediation" or a TransferTarget value
    reasons: list[str] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # further routes worth telling the parties about


def route(
    *,
    dispute_type: str,
    risk: RiskAssessment,
    text: str,
    amount: Decimal | None = None,
    people: int | None = None,
    parties: int = 2,
) -> Routing:
    reasons: list[str] = []
    tier = Tier.VILLAGE
    flags = set(risk.flags)

    def up(to: Tier, why: str) -> None:
        nonlocal tier
        order = [Tier.VILLAGE, Tier.TOWNSHIP, Tier.COUNTY]
        if order.index(to) > order.index(tier):
            tier = to
        reasons.append(f"{to.label}：{why}")

    if Flag.MASS_DISPUTE in flags or (people or 0) >= COUNTY_PEOPLE:
        up(Tier.COUNTY, "群体性纠纷，需县级统筹多部门化解")
    if amount is not None and amount >= COUNTY_AMOUNT:
        up(Tier.COUNTY, f"涉及金额{amount:,.0f}元，数额巨大")
    if dispute_type in COUNTY_TYPES:
        up(Tier.COUNTY, f"{DisputeType(dispute_type).label}纠纷专业性强，宜由县级矛调中心或专业调解组织调处")
    if risk.level == Level.HIGH and Flag.UPWARD_PETITION in flags:
        up(Tier.COUNTY, "高风险且有越级上访倾向")
    if amount is not None and amount >= TOWNSHIP_AMOUNT:
        up(Tier.TOWNSHIP, f"涉及金额{amount:,.0f}元，超出村级调处的通常范围")
    if (people or 0) >= TOWNSHIP_PEOPLE or parties > 3:
        up(Tier.TOWNSHIP, f"涉及{max(people or 0, parties)}人，需乡镇统筹")
    if dispute_type in TOWNSHIP_TYPES:
        up(Tier.TOWNSHIP, f"{DisputeType(dispute_type).label}纠纷常需查明权属或政策，宜由司法所调处")
    if risk.level == Level.HIGH:
        up(Tier.TOWNSHIP, "风险等级高，需司法所直接掌握")
    if Flag.REPEAT_DISPUTE in flags:
        up(Tier.TOWNSHIP, "重复纠纷，村级调解未能根本解决")
    if tier == Tier.VILLAGE:
        reasons.append("村(社区)级：事实清楚、争议不大，小事不出村")

    channel = "mediation"
    also: list[str] = []
    if flags & {Flag.VIOLENCE_THREAT, Flag.WEAPON, Flag.CIVIL_TO_CRIMINAL}:
        also.append(TransferTarget.POLICE)
        reasons.append(
            "有激化为治安或刑事案件的可能，应及时报告公安机关（人民调解法第二十五条），调解可同时进行"
        )
    if dispute_type == DisputeType.LABOUR:
        also.append(TransferTarget.ARBITRATION)
        reasons.append("劳动争议调解不成的，可向劳动人事争议仲裁委员会申请仲裁（劳动争议调解仲裁法第五条）")
    if _ADMIN_ACT.search(text):
        channel = TransferTarget.ADMIN_RECONSIDERATION
        reasons.append(
            "争议指向行政机关的行政行为，宜告知当事人自知道该行为之日起六十日内申请行政复议（行政复议法第二十条）"
        )
    if _HARDSHIP.search(text):
        also.append(TransferTarget.LEGAL_AID)
        reasons.append(
            "当事人可能经济困难或属特定群体，可申请法律援助（法律援助法第三十一条、第三十二条、第四十二条）"
        )
    if _LITIGATION.search(text) and channel == "mediation":
        also.append(TransferTarget.COURT)
        reasons.append("当事人提到诉讼，告知可向人民法院起诉；调解不成的依法引导诉讼（人民调解法第二十六条）")

    severe = risk.level != Level.LOW and flags - {Flag.VULNERABLE_PARTY}
    is_complex = tier != Tier.VILLAGE or bool(severe) or channel != "mediation"
    reasons.insert(0, "繁案：需较多调查或多方协调" if is_complex else "简案：事实清楚、权利义务明确")
    return Routing(is_complex, tier, channel, reasons, list(dict.fromkeys(also)))
