"""/api/v1/statutes — search, browse and citation check. Every signed-in role may read."""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from fengqiao.core.errors import DomainError
from fengqiao.statutes import citations, presenters, queries, search
from fengqiao.statutes.choices import Status

router = Router(tags=["法律法规"])


class SearchQuery(Schema):
    q: str = Field(min_length=1, max_length=2000, description="描述、关键词或法条（如“民法典第1079条”）")
    top: int = Field(default=10, ge=1, le=50)
    include_repealed: bool = False


class LawsQuery(Schema):
    status: Status | None = None
    q: str = Field(default="", max_length=100)


class CheckIn(Schema):
    text: str = Field(max_length=100_000)


@router.get("/search", summary="检索法条（理解通俗描述，识别法名与条号）")
def search_articles(request: HttpRequest, params: Query[SearchQuery]) -> dict[str, Any]:
    found = search.search(params.q, params.top, include_repealed=params.include_repealed)
    return {"query": params.q, "hits": presenters.hits(found)}


@router.get("/laws", summary="法律目录（可按时效性筛选）")
def list_laws(request: HttpRequest, params: Query[LawsQuery]) -> list[dict[str, Any]]:
    return [presenters.law(x) for x in queries.laws(status=params.status, q=params.q)]


@router.get("/laws/{int:law_id}", summary="一部法律的章节与条文")
def get_law(request: HttpRequest, law_id: int) -> dict[str, Any]:
    law = queries.law(law_id)
    return {
        **presenters.law(law),
        "chapters": [
            {
                "title": ch.title,
                "sections": [
                    {"title": title, "articles": [presenters.article(a, with_law=False) for a in arts]}
                    for title, arts in ch.sections
                ],
            }
            for ch in queries.chapters(law)
        ],
    }


@router.get("/articles/{int:article_id}", summary="一条法条（及平台编写的常见情形）")
def get_article(request: HttpRequest, article_id: int) -> dict[str, Any]:
    a = queries.article(article_id)
    return {**presenters.article(a), "situations": list(queries.situations(a))}


@router.post("/check", summary="核对文字中的法条引用")
def check_citations(request: HttpRequest, payload: CheckIn) -> dict[str, Any]:
    if not payload.text.strip():
        raise DomainError("请输入要核对的文字", field="text")
    return presenters.checks(citations.check(payload.text))
