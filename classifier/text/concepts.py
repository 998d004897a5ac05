"""Concept tags: what a phrase of a complaint *is*, from a small hand-written lexicon.

People say "the money went and the plan never came" in endless ways (扣了钱会员没开通, 钱划走了
套餐没生效, 交了钱啥也没有 …) and no training corpus shows every one. A concept tag names the
kind of phrase — money taken (``§扣钱``), something that did not arrive (``§未到``), the
person's own slip (``§自己``) — so the model also learns from "§扣钱 … §未到" whichever words
said it. The maintainers wrote the lexicon from the labelling guide's building blocks
(data/LABELING.md), after reading the kinds of error real text showed; words seen only in the
evaluation sets' errors were kept out (data/README.md, "Round 21 and concept tags").
:class:`~classifier.text.tokenizer.JiebaTokenizer` appends the tags of a text
after its words when built with ``concepts=True``; they are features, never shown as reasons.

Tags start with ``§``, which the segmenter always cuts off as punctuation, so no text can
spell a tag itself.

>>> from classifier.text.normalize import normalize_text
>>> concept_tags(normalize_text("银行卡扣了199元，会员还没到账"))
['§付款', '§扣钱', '§金额', '§权益', '§未到']
"""

from __future__ import annotations

import re

from ..errors import InvalidParameterError

__all__ = ["CONCEPTS", "CONTENT_TAGS", "TAGS", "TAG_MARK", "concept_tags"]

TAG_MARK = "§"

# concept → what it matches in a normalised text (lower-cased, simplified, amounts as
# placeholders: \ue001 money, \ue008 a number). At each position the first concept that
# matches wins, so the order of the table matters where phrases overlap.
CONCEPTS: dict[str, str] = {
    "付款": r"付款|支付|付费|付了|买了|购买|下单|充值|充了|缴费|交了|交费|转账|还款|还了|续费|订阅|开通"
    r"|扫码付|刷卡|花呗|借呗|白条|信用卡|银行卡|余额",
    "扣钱": r"扣款|扣费|扣钱|扣了|被扣|多扣|划走|划扣|吞|收了钱|钱少了|少了\S{0,2}钱|钱没了|扣除|重复扣"
    r"|扣两次|扣了两",
    "金额": r"[\ue001\ue008]|\[金额x\]|\*\*\*|块钱|元|钱",
    "未到": r"(?:没|未|不|还没|没有)(?:到账|充上|到|入账|收到|增加|生效|开通|变|更新|退回|返还|退|显示"
    r"|加上|同步|恢复)",
    "仍然": r"还是|依然|仍然|仍|一直|始终|还在",
    "时长": r"(?:\d|[一两三四五六七八九十几半多])(?:个)?(?:天|星期|礼拜|周|月|小时|工作日)|好久|这么久"
    r"|那么久|好多天",
    "不见": r"不见了|没了|消失|清空|丢失|丢了|找不到了|被删|删了|全没|清零|归零|空了",
    "不对": r"不对|对不上|错了|错误|显示成|显示为|乱了|乱码|重复|多了|少了|不一致|不准|变成",
    "显示": r"显示|提示|页面|界面|状态|记录|明细|账单|列表",
    "用不了": r"打不开|进不去|登不上|登录不上|加载不|刷不出|连不上|用不了|无法|不能|失败|报错|崩|闪退"
    r"|白屏|黑屏|卡住|卡死|转圈|没反应|没有反应|超时|502|503|504|404|挂了|瘫痪|宕机|故障|坏了|失效|不成功"
    r"|(?<=[付充值登录进现账载传放看买交取定开])不了",  # 支付不了, 登录不了 …; not 受不了, 还不了解
    "记录": r"记录|积分|成绩|课表|订单|数据|文件|照片|收藏|聊天记录|历史|流水",
    "权益": r"会员|vip|套餐|额度|权益|优惠券|券|红包|返现",
    "自己": r"自己|不小心|误|多按|手滑|忘了|忘记|没注意|按错|输错|换了手机|换手机|重装|格式化",
    "别人": r"室友|同事|家人|孩子|老公|老婆|朋友|别人",
    "规则": r"规定|规则|政策|只能|仅|限额|上限|风控|风险|违反|违规|封号|协议|条款|到期|过期",
    "建议": r"建议|希望|能不能|可不可以|最好|增加一个|加个|功能",
    "设备": r"电脑|显示器|u盘|硬盘|路由器|耳机|充电器|屏幕碎|电池",
    "商品": r"质量|味道|难吃|态度|快递|物流|配送|发货|包装|尺码|假货",
    "提问": r"怎么|为什么|请问|想问|吗|\?|咋",
    "客服": r"客服|回复|邮件|反馈|投诉|电话|工单",
    "退款": r"退款|退钱|退回|退费",
}

# The reference: one group per concept, read as written above.
_REFERENCE = re.compile("|".join(f"(?P<c{i}>{pattern})" for i, pattern in enumerate(CONCEPTS.values())))
_TAGS = {f"c{i}": TAG_MARK + name for i, name in enumerate(CONCEPTS)}
# every tag token (the segmenter never makes one: it cuts § off)
TAGS = frozenset(_TAGS.values())


def _scan(pattern: str) -> list[tuple[int, str, int]]:
    """(position, character, depth of parentheses before it) for every character of a pattern
    that is not escaped and not inside a character class."""
    out, depth, in_class, i = [], 0, False, 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            out.append((i, char, depth))
            depth += {"(": 1, ")": -1}.get(char, 0)
        i += 1
    return out


def _top_level(pattern: str) -> list[str]:
    """A pattern's alternatives at the top level (``a|(?:b|c)d`` → ``a``, ``(?:b|c)d``)."""
    cuts = [i for i, char, depth in _scan(pattern) if char == "|" and depth == 0]
    return [pattern[a + 1 : b] for a, b in zip([-1, *cuts], [*cuts, len(pattern)])]


def _literal_led(alternative: str) -> list[str]:
    """The same alternative as alternatives that each start with a literal character, in the
    order the regex engine tries them: a leading group, character class or ``\\d`` is spread out,
    and a leading look-behind moves behind the character it looks back from."""
    if alternative.startswith("("):
        end = next(i for i, char, depth in _scan(alternative) if char == ")" and depth == 1) + 1
        head, rest = alternative[:end], alternative[end:]
        if head.startswith("(?<="):  # (?<=X)c… → c(?<=Xc)…
            return [rest[0] + head[:-1] + re.escape(rest[0]) + ")" + rest[1:]]
        if not head.startswith("(?:") or rest[:1] in ("?", "*", "+", "{"):
            raise InvalidParameterError(f"cannot lead with a literal: {alternative}")
        return [led for part in _top_level(head[3:-1]) for led in _literal_led(part + rest)]
    if alternative.startswith("["):
        end = alternative.index("]") + 1
        chars = re.findall(r"\\u[0-9a-f]{4}|\\.|.", alternative[1 : end - 1])
        return [led for char in chars for led in _literal_led(char + alternative[end:])]
    if alternative.startswith(r"\d"):
        return [led for digit in "0123456789" for led in _literal_led(digit + alternative[2:])]
    return [alternative]


_LED = [
    (TAG_MARK + name, led)
    for name, pattern in CONCEPTS.items()
    for alternative in _top_level(pattern)
    for led in _literal_led(alternative)
]


def _lead(alternative: str) -> str:
    """The literal character an alternative of :data:`_LED` starts with, as written (escaped or not)."""
    if alternative.startswith("\\u"):
        return alternative[:6]
    return alternative[:2] if alternative.startswith("\\") else alternative[:1]


# Lead characters common in complaints, whose alternatives are tried first. Only for speed: at a
# position only the alternatives led by its character can match, so the order between groups of
# different lead characters changes no match.
_COMMON_LEADS = "工一不没到上还这卡?能扣用开付显钱退下回"


def _grouped(led: list[tuple[str, str]]) -> tuple[str, list[str]]:
    """The alternatives as one pattern, grouped by their lead character (each group's in their
    order), an empty group after each; and the tag of each group number."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for tag, alternative in led:
        lead = _lead(alternative)
        rest = alternative[len(lead) :]
        if rest[:1] in ("?", "*", "+", "{"):
            raise InvalidParameterError(f"a quantified lead character cannot be grouped: {alternative}")
        groups.setdefault(lead, []).append((tag, rest))

    def rank(lead: str) -> int:
        common = _COMMON_LEADS.find(lead[-1]) if len(lead) <= 2 else -1
        return common if common >= 0 else len(_COMMON_LEADS)

    parts, tags = [], [""]
    for lead in sorted(groups, key=rank):  # a stable sort: the rest in the lexicon's order
        parts.append(lead + "(?:" + "|".join(f"{rest}()" for _, rest in groups[lead]) + ")")
        tags += [tag for tag, _ in groups[lead]]
    return "|".join(parts), tags


# The same lexicon with every alternative led by a literal character: the regex engine then skips
# every position whose character no alternative starts with, and at the others tries only the
# group of alternatives led by that character (three to four times faster in all). The empty group after
# each alternative says which one matched. Its \d became 0-9: texts with other digits are read by
# the reference (normalised texts almost never have them).
_FAST_PATTERN, _FAST_TAGS = _grouped(_LED)  # _FAST_TAGS: by group number
_FAST = re.compile(_FAST_PATTERN)
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
# the tags that say what went wrong; the rest frame a text (an amount, a time, a question, the
# support desk) and are no evidence of a failure on their own (see classifier.engine.guard)
CONTENT_TAGS = TAGS - {TAG_MARK + name for name in ("金额", "仍然", "时长", "提问", "客服")}


def concept_tags(normalized: str) -> list[str]:
    """The concept tags of a normalised text, in the order their phrases appear.

    >>> concept_tags("不小心多按了一个0")
    ['§自己', '§自己']
    """
    global _last
    text, tags = _last
    if text != normalized:
        tags = _tags_of(normalized)
        _last = (normalized, tags)
    return tags.copy()


def _tags_of(normalized: str) -> list[str]:
    if _OTHER_DIGIT.search(normalized):
        return [_TAGS[match.lastgroup] for match in _REFERENCE.finditer(normalized)]  # type: ignore[index]
    return [_FAST_TAGS[match.lastindex] for match in _FAST.finditer(normalized)]  # type: ignore[index]


# The last text tagged and its tags: classify() of one text asks twice for the same text's tags
# (the tokenizer, then the content guard). One pair, replaced whole, so threads cannot mix them.
_last: tuple[str, list[str]] = ("", [])
