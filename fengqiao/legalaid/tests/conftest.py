"""The statute corpus in the test database (the consultation page links the articles it
proposes), shared with the statutes tests."""

from fengqiao.statutes.tests import conftest as statutes_conftest

statute_corpus = statutes_conftest.statute_corpus
corpus = statutes_conftest.corpus
