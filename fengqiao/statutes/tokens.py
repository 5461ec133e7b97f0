"""Tokens for lexical search: rjieba words (search mode) and character bigrams.

Words carry meaning (离婚, 用人单位); bigrams catch what the segmenter splits
differently in a lay sentence and in statute prose (欠薪 vs 拖欠劳动报酬 share 拖欠 only
as words, but 欠… bigrams overlap in both). Both are indexed and fused in ``search``.
Search mode (``cut_for_search``) also emits the parts of long words, so 劳动合同法
matches 劳动合同 and 合同.
"""

import re

import rjieba

_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)
_HAN_OR_ALNUM = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z]+")

# Function words and question frames of lay queries; they say nothing about which law applies.
STOPWORDS = frozenset(
    [
        "的",
        "地",
        "得",
        "了",
        "着",
        "过",
        "在",
        "是",
        "和",
        "与",
        "及",
        "或",
        "等",
        "我",
        "你",
        "他",
        "她",
        "它",
        "我们",
        "你们",
        "他们",
        "她们",
        "自己",
        "这",
        "那",
        "这个",
        "那个",
        "这些",
        "那些",
        "有",
        "被",
        "把",
        "对",
        "为",
        "以",
        "也",
        "就",
        "都",
        "而",
        "之",
        "其",
        "所",
        "于",
        "从",
        "由",
        "向",
        "将",
        "并",
        "但",
        "又",
        "如",
        "若",
        "则",
        "该",
        "此",
        "个",
        "一",
        "不",
        "要",
        "会",
        "能",
        "吗",
        "呢",
        "吧",
        "啊",
        "呀",
        "么",
        "嘛",
        "什么",
        "怎么",
        "怎么办",
        "怎样",
        "如何",
        "请问",
        "是否",
        "可以",
        "应该",
        "没有",
        "还是",
        "因为",
        "所以",
        "如果",
        "但是",
        "然后",
        "已经",
        "现在",
        "一个",
        "一些",
        "这样",
        "那样",
        "问",
        "想",
        "知道",
        "情况",
        "问题",
        "请",
        "帮",
        "帮忙",
        "谢谢",
        "您好",
        "你好",
        "一下",
        "里",
        "上",
        "下",
        "中",
        "后",
        "前",
        "时",
        "时候",
        "年",
        "月",
        "日",
        "元",
        "万",
        "次",
        "多",
        "很",
        "太",
        "非常",
        "就是",
        "还",
        "才",
        "却",
        "再",
        "给",
        "让",
        "跟",
        "同",
        "某",
        "某某",
        "某某某",
        "其中",
        "以及",
        "及其",
        "或者",
        "并且",
        "以上",
        "以下",
    ]
)


def words(text: str) -> list[str]:
    """Search-mode rjieba words without punctuation and stopwords."""
    return [w for w in rjieba.cut_for_search(text) if w not in STOPWORDS and not _NOT_WORD.fullmatch(w)]


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs inside each run of Han characters, letters or digits."""
    out = []
    for run in _HAN_OR_ALNUM.findall(text):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i : i + 2] for i in range(len(run) - 1))
    return out
