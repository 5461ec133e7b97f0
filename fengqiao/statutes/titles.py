"""How a law's name is written in a title: in 《》, with a name quoted inside it in 〈〉
(《全国人民代表大会常务委员会关于〈中华人民共和国刑法〉第二百六十六条的解释》), as GB/T 15834
标点符号用法 (4.15.3) writes a title within a title."""


def book_title(name: str) -> str:
    return "《" + name.replace("《", "〈").replace("》", "〉") + "》"
