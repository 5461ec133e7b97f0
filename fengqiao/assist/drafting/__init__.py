"""Drafting documents from a case record (issue 5 part 4).

- ``base``        Block, FieldSpec, the Record read from the case, the Kind base class
- ``agreement`` / ``confirmation`` / ``legal_aid`` / ``termination``   the four documents,
                  each citing the article that requires its contents
- ``kinds``       the registry
- ``document``    blocks + citation check; canonical content and its SHA-256; the agreement
                  the case page prints and downloads (``cases.documents`` calls it: one source)
- ``fonts`` / ``render_pdf`` / ``render_docx``   GB/T 9704 layout; the PDF embeds its fonts
"""
