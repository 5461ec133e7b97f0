"""The label sets triage proposes, and where each label's weak supervision comes from.

``CONSULT_TOPICS``: the 20 consultation topics of public legal service (12348
routing, DESIGN.md §4). ``DisputeType`` (cases.choices): the official statistical
categories of people's mediation.

``STATUTE_SOURCES`` says which statutes govern a label: their articles, from the
statute corpus, are weak training examples for it (the vocabulary of the law that
decides such matters). A source is (law name, first article, last article); None
means the whole law. Civil Code ranges follow its books and chapters.
"""

from enum import StrEnum

from fengqiao.cases.choices import DisputeType
from fengqiao.statutes.choices import LawRange as Source


class Taxonomy(StrEnum):
    CONSULT = "consult"
    MEDIATION = "mediation"


CONSULT_TOPICS: tuple[str, ...] = (
    "婚姻家庭",
    "劳动纠纷",
    "交通事故",
    "债权债务",
    "刑事辩护",
    "合同纠纷",
    "房产纠纷",
    "侵权",
    "公司法",
    "医疗纠纷",
    "拆迁安置",
    "行政诉讼",
    "建设工程",
    "知识产权",
    "综合咨询",
    "人身损害",
    "涉外法律",
    "海事海商",
    "消费权益",
    "抵押担保",
)

CIVIL_CODE = "中华人民共和国民法典"


def _law(name: str, first: int | None = None, last: int | None = None) -> Source:
    return (f"中华人民共和国{name}", first, last)


def _cc(first: int, last: int) -> Source:
    return (CIVIL_CODE, first, last)


STATUTE_SOURCES: dict[Taxonomy, dict[str, tuple[Source, ...]]] = {
    Taxonomy.CONSULT: {
        "婚姻家庭": (_cc(1040, 1163), _law("反家庭暴力法")),
        "劳动纠纷": (_law("劳动法"), _law("劳动合同法"), _law("劳动争议调解仲裁法"), _law("社会保险法")),
        "交通事故": (_law("道路交通安全法"), _cc(1208, 1217)),
        "债权债务": (_cc(667, 680), _cc(535, 556), _cc(188, 199)),
        "刑事辩护": (_law("刑事诉讼法"), _law("刑法", 1, 101)),
        "合同纠纷": (_cc(463, 666), _cc(703, 787), _cc(809, 936)),
        "房产纠纷": (_law("城市房地产管理法"), _cc(205, 310), _cc(362, 366)),
        "侵权": (
            _cc(1164, 1178),
            _cc(1188, 1201),
            _cc(1245, 1258),
            _cc(1012, 1039),
            _law("个人信息保护法", 1, 50),
        ),
        "公司法": (_law("公司法"), _law("合伙企业法"), _law("个人独资企业法")),
        "医疗纠纷": (_cc(1218, 1228), _law("医师法"), _law("基本医疗卫生与健康促进法")),
        "拆迁安置": (_law("土地管理法", 44, 66), _law("城乡规划法")),
        "行政诉讼": (_law("行政诉讼法"), _law("行政复议法"), _law("行政处罚法"), _law("国家赔偿法")),
        "建设工程": (_law("建筑法"), _law("招标投标法"), _cc(788, 808)),
        "知识产权": (_law("著作权法"), _law("专利法"), _law("商标法"), _law("反不正当竞争法")),
        "综合咨询": (_law("律师法"), _law("法律援助法"), _law("公证法"), _law("人民调解法")),
        "人身损害": (_cc(1179, 1187), _cc(1002, 1011)),
        "涉外法律": (_law("涉外民事关系法律适用法"), _law("出境入境管理法"), _law("国籍法")),
        "海事海商": (_law("海商法"), _law("海事诉讼特别程序法"), _law("海上交通安全法")),
        "消费权益": (
            _law("消费者权益保护法"),
            _law("产品质量法"),
            _law("电子商务法", 1, 50),
            _cc(1202, 1207),
        ),
        "抵押担保": (_cc(386, 457), _cc(681, 702)),
    },
    Taxonomy.MEDIATION: {
        DisputeType.MARRIAGE_FAMILY: (_cc(1040, 1163), _law("反家庭暴力法")),
        DisputeType.NEIGHBOUR: (_cc(288, 296),),
        DisputeType.HOUSING_HOMESTEAD: (_cc(362, 366), _cc(205, 287)),
        DisputeType.CONTRACT: (_cc(463, 666), _cc(703, 787)),
        DisputeType.PRODUCTION_OPERATION: (_law("农民专业合作社法"), _law("合伙企业法")),
        DisputeType.DAMAGES: (_cc(1164, 1201), _cc(1245, 1258)),
        DisputeType.FOREST_LAND: (
            _law("森林法"),
            _law("农村土地承包法"),
            _law("农村土地承包经营纠纷调解仲裁法"),
        ),
        DisputeType.LAND_REQUISITION: (_law("土地管理法", 44, 66),),
        DisputeType.ENVIRONMENT: (
            _law("环境保护法"),
            _law("噪声污染防治法"),
            _law("水污染防治法"),
            _law("大气污染防治法"),
        ),
        DisputeType.LABOUR: (_law("劳动法"), _law("劳动合同法"), _law("劳动争议调解仲裁法")),
        DisputeType.MEDICAL: (_cc(1218, 1228), _law("医师法")),
        DisputeType.TRAFFIC: (_law("道路交通安全法"), _cc(1208, 1217)),
        DisputeType.PROPERTY_MANAGEMENT: (_cc(937, 950), _cc(271, 287)),
        DisputeType.CONSUMER: (_law("消费者权益保护法"), _law("产品质量法")),
        DisputeType.TOURISM: (_law("旅游法"),),
        DisputeType.INTELLECTUAL_PROPERTY: (_law("著作权法"), _law("专利法"), _law("商标法")),
        DisputeType.ECOMMERCE: (_law("电子商务法"),),
        DisputeType.OTHER: (),
    },
}


def labels(taxonomy: Taxonomy) -> tuple[str, ...]:
    if taxonomy == Taxonomy.CONSULT:
        return CONSULT_TOPICS
    return tuple(t.value for t in DisputeType)


def label_name(taxonomy: Taxonomy, label: str) -> str:
    """The Chinese name of a label (consult labels already are Chinese)."""
    if taxonomy == Taxonomy.MEDIATION:
        return str(DisputeType(label).label)
    return label
