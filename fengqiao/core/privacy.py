"""The register of personal information the platform holds (个人信息保护法 Arts. 5–7 purpose
and minimisation, Art. 19 retention, Art. 28 sensitive information, Art. 51 internal
management), and the persons' rights over it (Arts. 44–47).

Every column that holds personal information is listed here with why it is held and
for how long; ``test_privacy_register`` fails when a model gains such a column that is
not registered. Sensitive ones (identity numbers, phones, addresses, criminal records)
are encrypted at rest (core.fields.EncryptedCharField).
"""

from dataclasses import dataclass

CASE_RETENTION_YEARS = 10  # case files are kept ten years after closing (DESIGN §5); then anonymised
# A consultation is answered on the day; its record serves follow-up questions and the
# statistics of public legal service. Three years, then what identifies the asker goes.
CONSULTATION_RETENTION_YEARS = 3


@dataclass(frozen=True)
class Entry:
    purpose: str
    retention: str
    sensitive: bool = False


REGISTER: dict[tuple[str, str], Entry] = {
    ("cases.party", "name"): Entry("识别纠纷当事人、制作调解文书", f"结案后{CASE_RETENTION_YEARS}年匿名化"),
    ("cases.party", "id_number"): Entry(
        "核验身份、制作调解协议与司法确认申请", f"结案后{CASE_RETENTION_YEARS}年删除", True
    ),
    ("cases.party", "id_number_bidx"): Entry("按身份证号查找关联纠纷（不可逆摘要）", "随身份证号删除", True),
    ("cases.party", "org_code"): Entry("识别法人当事人", f"结案后{CASE_RETENTION_YEARS}年"),
    ("cases.party", "gender"): Entry(
        "调解文书载明当事人基本情况（人民调解法第二十九条）", f"结案后{CASE_RETENTION_YEARS}年匿名化"
    ),
    ("cases.party", "phone"): Entry("联系当事人、回访", f"结案后{CASE_RETENTION_YEARS}年删除", True),
    ("cases.party", "phone_bidx"): Entry("按电话查找关联纠纷（不可逆摘要）", "随电话删除", True),
    ("cases.party", "address"): Entry("送达、上门调解与回访", f"结案后{CASE_RETENTION_YEARS}年删除", True),
    ("cases.party", "language"): Entry("安排翻译", f"结案后{CASE_RETENTION_YEARS}年"),
    ("cases.dispute", "narrative"): Entry(
        "记录纠纷事实经过（可能含个人情况）", f"结案后{CASE_RETENTION_YEARS}年"
    ),
    ("cases.dispute", "address"): Entry("纠纷发生地址", f"结案后{CASE_RETENTION_YEARS}年删除", True),
    ("cases.sessionrecord", "content"): Entry(
        "调解笔录（人民调解法第二十七条）", f"结案后{CASE_RETENTION_YEARS}年"
    ),
    ("cases.sessionrecord", "attendees"): Entry("调解笔录参加人", f"结案后{CASE_RETENTION_YEARS}年"),
    ("cases.transition", "actor_name"): Entry("流转记录留痕", f"结案后{CASE_RETENTION_YEARS}年"),
    ("cases.followupvisit", "note"): Entry("回访情况", f"结案后{CASE_RETENTION_YEARS}年"),
    ("accounts.user", "full_name"): Entry("工作人员与群众账号实名", "账号注销后3年"),
    ("accounts.user", "phone"): Entry("账号联系与找回", "账号注销后删除", True),
    ("accounts.user", "username"): Entry("登录标识", "账号注销后3年"),
    ("accounts.user", "email"): Entry("未使用（保留字段为空）", "—"),
    ("accounts.user", "first_name"): Entry("未使用（保留字段为空）", "—"),
    ("accounts.user", "last_name"): Entry("未使用（保留字段为空）", "—"),
    ("accounts.mediator", "name"): Entry("人民调解员名册（人民调解法第十三条）", "离任后5年"),
    ("accounts.mediator", "phone"): Entry("联系调解员", "离任后删除", True),
    ("accounts.auditentry", "actor_label"): Entry("安全审计（网络安全法第二十一条）", "至少6个月"),
    ("intake.importbatch", "file_name"): Entry("导入来源留痕", "3年"),
    ("analytics.monthlyreport", "preparer"): Entry("调解统计月报的填报人", "随报表保存"),
    # assist: signed documents are case records (人民调解法 Art. 27), kept with the file, never altered
    ("assist.signeddocument", "content"): Entry(
        "已签署文书全文，载明当事人基本情况（人民调解法第二十九条）",
        f"随卷宗保存，结案后{CASE_RETENTION_YEARS}年销毁（保留哈希）",
        True,
    ),
    ("assist.signeddocument", "pdf"): Entry(
        "已签署文书的 PDF 原件", f"随卷宗保存，结案后{CASE_RETENTION_YEARS}年销毁（保留哈希）", True
    ),
    ("assist.signeddocument", "docx"): Entry(
        "已签署文书的 DOCX 原件", f"随卷宗保存，结案后{CASE_RETENTION_YEARS}年销毁（保留哈希）", True
    ),
    ("assist.signeddocument", "signed_by_name"): Entry("签署人留痕", f"结案后{CASE_RETENTION_YEARS}年"),
    ("assist.draft", "fields"): Entry(
        "文书草稿的可编辑内容（可能含纠纷事实）", f"结案后{CASE_RETENTION_YEARS}年清空"
    ),
    ("assist.generation", "output"): Entry(
        "智能辅助输出留痕（个人信息保护法第二十四条）", f"结案后{CASE_RETENTION_YEARS}年清空", True
    ),
    ("legalaid.consultation", "question"): Entry(
        "法律咨询内容（可能含咨询人及他人情况），用于答复与后续咨询",
        f"登记后{CONSULTATION_RETENTION_YEARS}年删除",
    ),
    ("legalaid.consultation", "asker_name"): Entry(
        "咨询人称呼，回复咨询", f"登记后{CONSULTATION_RETENTION_YEARS}年删除"
    ),
    ("legalaid.consultation", "asker_phone"): Entry(
        "回复咨询、告知办理进度", f"登记后{CONSULTATION_RETENTION_YEARS}年删除", True
    ),
    ("legalaid.consultation", "reply"): Entry("答复要点留痕", f"登记后{CONSULTATION_RETENTION_YEARS}年删除"),
    ("dispatch.conflictdeclaration", "person_name"): Entry(
        "调解员回避（人民调解法第二十一条）：识别与其有利害关系的人", "撤回或调解员离任后5年"
    ),
    ("dispatch.conflictdeclaration", "id_number"): Entry(
        "调解员回避：按身份证号码或信用代码准确识别关系人", "撤回或调解员离任后5年删除", True
    ),
    ("dispatch.conflictdeclaration", "id_number_bidx"): Entry(
        "与当事人身份证号比对以回避（不可逆摘要）", "随身份证号删除", True
    ),
    ("dispatch.conflictdeclaration", "relation"): Entry("调解员回避事由", "撤回或调解员离任后5年"),
    ("dispatch.conflictdeclaration", "reason"): Entry("调解员回避事由说明", "撤回或调解员离任后5年"),
    ("dispatch.objection", "reason"): Entry(
        "当事人对调解员的异议（人民调解法第二十三条）", f"结案后{CASE_RETENTION_YEARS}年"
    ),
    ("dispatch.interpreter", "name"): Entry("藏语、彝语翻译人员名册（人民调解法第二十条）", "离册后5年"),
    ("dispatch.interpreter", "phone"): Entry("联系翻译人员", "离册后删除", True),
    ("dispatch.dispatchrun", "detail"): Entry(
        "批量调度留痕：未能指派的理由（可能含当事人、调解员姓名）", f"{CASE_RETENTION_YEARS}年"
    ),
    # warning: the entity-resolution index (no ID number or phone in it, only keyed digests)
    ("warning.partykey", "person"): Entry("预警：关联同一当事人的重复纠纷", "随当事人记录删除"),
    ("warning.partykey", "block"): Entry(
        "预警：识别同一当事人（村＋姓名读音）", "当事人匿名化后的夜间重算清除"
    ),
    ("warning.partykey", "phone_head"): Entry("预警：电话容错比对（号码片段不可逆摘要）", "随电话删除", True),
    ("warning.partykey", "phone_tail"): Entry("预警：电话容错比对（号码片段不可逆摘要）", "随电话删除", True),
    ("warning.alert", "title"): Entry(
        "预警标题（可能含当事人姓名）", f"随纠纷案卷（结案后{CASE_RETENTION_YEARS}年）"
    ),
    ("warning.alert", "reason"): Entry(
        "预警原因（可能含当事人姓名）", f"随纠纷案卷（结案后{CASE_RETENTION_YEARS}年）"
    ),
    ("warning.alert", "evidence"): Entry(
        "预警依据：关联纠纷、言辞摘录、当事人姓名", f"随纠纷案卷（结案后{CASE_RETENTION_YEARS}年）"
    ),
}

# Column names that betray personal information; a model field with one of these names
# (or an encrypted field) must be registered above.
PERSONAL_NAMES = frozenset(
    {
        "name",
        "full_name",
        "first_name",
        "last_name",
        "id_number",
        "phone",
        "mobile",
        "email",
        "address",
        "birth_date",
        "gender",
        "narrative",
        "content",
        "attendees",
        "actor_name",
        "actor_label",
        "note",
    }
)
# Names that are not about persons in these models.
NOT_PERSONAL = frozenset(
    {
        ("geography.adminunit", "name"),
        ("geography.organisation", "name"),
        ("geography.organisation", "address"),
        ("geography.organisation", "phone"),
        ("statutes.law", "name"),
        ("warning.cursor", "name"),
        ("dispatch.countypairing", "note"),
        ("cases.disputegroup", "title"),
        ("deadlines.deadline", "note"),
        ("cases.performance", "note"),
        ("warning.alert", "note"),
        ("accounts.apitoken", "name"),
        ("analytics.rollupstate", "name"),  # the name of a rollup job
        ("analytics.monthlyreport", "content"),  # an XLSX of counts only (analytics/tests/test_privacy.py)
    }
)
