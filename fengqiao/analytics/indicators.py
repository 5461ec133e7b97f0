"""The indicators leaders read, each defined once: formula, wording and source.

``Figures`` holds summed measures (``measures.MEASURES``) for one jurisdiction and
period and derives every indicator from them, so the dashboard, the API, the report
and the tests all compute a rate the same way. Pure Python.

Where no official formula is published, the definition is the platform's own and
says so; the sources cited are the rules each indicator watches.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from fengqiao.analytics import measures as m
from fengqiao.cases.choices import Status


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    kind: str  # "rate" (a share, 0–1), "days", or "count"
    definition: str
    source: str


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "village_resolution_rate",
        "村级化解率",
        "rate",
        "统计期内调解成功结案（化解）的纠纷中，结案时由村（社区）人民调解委员会办理的比例。"
        "分子：村级化解件数；分母：化解件数。",
        "“小事不出村”（新时代枫桥经验）；人民调解法第八条（村民委员会、居民委员会设立人民调解委员会）。平台口径。",
    ),
    Indicator(
        "success_rate",
        "调解成功率",
        "rate",
        "统计期内调结的纠纷中调解成功的比例。调结＝受理调解后以调解成功（协议履行、回访后结案）、"
        "调解不成或移交其他途径结案；当事人撤回、不予受理及受理前移交的不计入。",
        "人民调解法第二十八至三十一条（协议及履行）、第二十六条（调解不成）。平台口径。",
    ),
    Indicator(
        "upward_rate",
        "矛盾上交率",
        "rate",
        "统计期内调结的纠纷中，经村、乡镇、县分层化解后在县级仍未化解（调解不成或移交结案）的比例，"
        "即流出县域基层化解体系的纠纷。平台不记录县级以上的上报，也没有“移交信访”的去向，故以此衡量“矛盾不上交”。",
        "“矛盾不上交”（新时代枫桥经验）。平台口径。",
    ),
    Indicator(
        "mean_days",
        "平均化解天数",
        "days",
        "统计期内化解结案的纠纷，从登记日到结案日的日历天数的平均值。",
        "人民调解工作若干规定第三十三条（调解一般在一个月内调结）。",
    ),
    Indicator(
        "p90_days",
        "90%化解用时",
        "days",
        "统计期内化解结案的纠纷中，90%在此天数内结案（按用时分档统计，取第90百分位所在档的上限）。",
        "人民调解工作若干规定第三十三条。",
    ),
    Indicator(
        "overdue",
        "超期未办期限",
        "count",
        "当前在办纠纷的法定期限中，已过届满日仍未完成的期限数（期限引擎登记的调解期限、申请司法确认期限等）。不受统计期影响。",
        "人民调解工作若干规定第三十三条；人民法院在线调解规则第二十四条；人民调解法第三十三条。",
    ),
    Indicator(
        "confirmation_rate",
        "司法确认率",
        "rate",
        "统计期内首次达成调解协议的纠纷中，书面协议经人民法院确认有效的比例（口头协议不能申请司法确认，不计入分母）。"
        "按协议达成月份归集，确认在之后发生的也计入该月。",
        "人民调解法第三十三条；民事诉讼法第二百零五条。",
    ),
    Indicator(
        "performance_rate",
        "协议履行率",
        "rate",
        "统计期内首次达成调解协议的纠纷中，协议已全部履行的比例（按协议达成月份归集）。",
        "人民调解法第三十一条（人民调解委员会对协议履行情况进行监督）。",
    ),
    Indicator(
        "follow_up_coverage",
        "回访覆盖率",
        "rate",
        "统计期内调结的纠纷中，有回访记录（含结案后回访）的比例。",
        "新时代枫桥经验“全链条服务”；人民调解法第三十一条。平台口径。",
    ),
    Indicator(
        "satisfaction_rate",
        "群众满意率",
        "rate",
        "统计期内登记的回访中，当事人表示“满意”或“基本满意”的比例。",
        "平台口径。",
    ),
)
BY_KEY = {i.key: i for i in INDICATORS}


@dataclass
class Figures:
    """Summed measures for one scope and period (missing measures are zero)."""

    sums: dict[str, int] = field(default_factory=dict)
    overdue: int | None = None  # from the deadline engine, set by the caller

    @classmethod
    def of(cls, sums: Mapping[str, int | None]) -> "Figures":
        return cls({k: int(v or 0) for k, v in sums.items()})

    @classmethod
    def total(cls, parts: Iterable["Figures"]) -> "Figures":
        out: dict[str, int] = {}
        for p in parts:
            for k, v in p.sums.items():
                out[k] = out.get(k, 0) + v
        return cls(out)

    def __getitem__(self, name: str) -> int:
        # Only measures: templates try item lookup before attributes (``f.amount_yuan``).
        if name not in m.INDEX:
            raise KeyError(name)
        return self.sums.get(name, 0)

    # ---------------------------------------------------------------- derived counts

    @property
    def mediated_end(self) -> int:
        """调结: mediated to an end — resolved, failed, or transferred after acceptance."""
        return self["resolved"] + self["failed"] + self["transferred_mediated"]

    @property
    def open_by_status(self) -> dict[str, int]:
        """Disputes in each open status — meaningful when the sums cover every month."""
        return {s.value: self[f"open_{s.value}"] for s in m.STOCK_STATUSES}

    @property
    def open_total(self) -> int:
        return sum(self.open_by_status.values())

    @property
    def amount_yuan(self) -> float:
        return self["accepted_amount"] / 100

    # ---------------------------------------------------------------- indicators

    @staticmethod
    def _share(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def village_resolution_rate(self) -> float | None:
        return self._share(self["resolved_village"], self["resolved"])

    @property
    def success_rate(self) -> float | None:
        return self._share(self["resolved"], self.mediated_end)

    @property
    def upward_rate(self) -> float | None:
        return self._share(self["upward"], self.mediated_end)

    @property
    def mean_days(self) -> float | None:
        return self["resolve_days"] / self["resolved"] if self["resolved"] else None

    @property
    def day_histogram(self) -> list[int]:
        return [self[m.bucket_name(i)] for i in range(len(m.DAY_BUCKETS))]

    @property
    def p90_bucket(self) -> int | None:
        """Index of the day bucket holding the 90th percentile (nearest rank)."""
        n = self["resolved"]
        if not n:
            return None
        running = 0
        for i, count in enumerate(self.day_histogram):
            running += count
            if running * 10 >= 9 * n:
                return i
        return len(m.DAY_BUCKETS) - 1

    @property
    def p90_days(self) -> int | None:
        """The upper bound (days) of that bucket; None also when it is the open-ended one."""
        i = self.p90_bucket
        return None if i is None else m.DAY_BUCKETS[i]

    @property
    def confirmation_rate(self) -> float | None:
        return self._share(self["agreed_confirmed"], self["agreed_written"])

    @property
    def performance_rate(self) -> float | None:
        return self._share(self["agreed_performed"], self["agreed"])

    @property
    def follow_up_coverage(self) -> float | None:
        return self._share(self["followed_end"], self.mediated_end)

    @property
    def satisfaction_rate(self) -> float | None:
        return self._share(self["sat_satisfied"] + self["sat_fairly"], self["follow_ups"])

    def value(self, key: str) -> float | int | None:
        value: float | int | None = getattr(self, key)
        return value

    def formatted(self, key: str) -> str:
        """The value as the page shows it: '86.4%', '12.3天', '≤30天', '—'."""
        indicator = BY_KEY[key]
        if key == "p90_days":
            i = self.p90_bucket
            if i is None:
                return "—"
            bound = m.DAY_BUCKETS[i]
            return f"≤{bound}天" if bound is not None else f"超过{m.DAY_BUCKETS[-2]}天"
        v = self.value(key)
        if v is None:
            return "—"
        if indicator.kind == "rate":
            return f"{v * 100:.1f}%"
        if indicator.kind == "days":
            return f"{v:.1f}天"
        return f"{int(v):,}"

    def fraction(self, key: str) -> str:
        """Numerator/denominator behind a rate, for the page's small print."""
        parts = {
            "village_resolution_rate": (self["resolved_village"], self["resolved"]),
            "success_rate": (self["resolved"], self.mediated_end),
            "upward_rate": (self["upward"], self.mediated_end),
            "confirmation_rate": (self["agreed_confirmed"], self["agreed_written"]),
            "performance_rate": (self["agreed_performed"], self["agreed"]),
            "follow_up_coverage": (self["followed_end"], self.mediated_end),
            "satisfaction_rate": (self["sat_satisfied"] + self["sat_fairly"], self["follow_ups"]),
        }.get(key)
        if parts is None:
            if key == "mean_days" and self["resolved"]:
                return f"{self['resolve_days']:,}天/{self['resolved']:,}件"
            return ""
        return f"{parts[0]:,}/{parts[1]:,}"


def status_label(value: str) -> str:
    return str(Status(value).label)
