"""The registry of document kinds."""

from fengqiao.assist.choices import DocumentKind
from fengqiao.assist.drafting.agreement import Agreement
from fengqiao.assist.drafting.base import Kind
from fengqiao.assist.drafting.confirmation import Confirmation
from fengqiao.assist.drafting.legal_aid import LegalAid
from fengqiao.assist.drafting.termination import Termination

KINDS: dict[str, Kind] = {k.kind.value: k for k in (Agreement(), Confirmation(), LegalAid(), Termination())}


def kind_of(value: str) -> Kind:
    return KINDS[DocumentKind(value).value]
