"""assist — drafting, pinned articles and optional LLM help (issue 5, parts 2 and 4–5).

Map of the app:

- ``models``     PinnedArticle (a case's governing articles), Draft (editable document),
                 SignedDocument (immutable, hashed), Generation (what the assistant said, and
                 which model said it)
- ``actions``    the only write path: pin/unpin, start/edit/sign drafts, record generations
- ``queries``    reads scoped by jurisdiction (``cases.queries.dispute_for``), proposals
- ``drafting/``  the four documents from the case record (``kinds``), their canonical
                 content and hash, DOCX and PDF renderers (GB/T 9704 layout, embedded font)
- ``grounding``  every citation in generated text checked; failures corrected or removed
- ``llm``        optional OpenAI-compatible chat endpoint over plain HTTP, masking personal data
- ``answers``    case summary, legal answer, draft wording: LLM when configured, else extractive
- ``api`` / ``views`` / ``urls`` / ``management/commands/assist.py``   the edges

Names (GLOSSARY.md style): 法条固定 pinned_article; 文书草稿 draft; 签署 sign; 已签署文书
signed_document; 司法确认申请书 confirmation_application; 法律援助申请表
legal_aid_application; 终止调解告知书 termination_notice; 生成记录 generation.
"""
