"""`fengqiao assist verify | fonts | llm`.

verify  recomputes the SHA-256 of every signed document (content, PDF, DOCX) and lists any
        that no longer match — exit status 1 if one does (for a nightly check).
fonts   names the TrueType fonts the PDFs will embed, and where they come from.
llm     says whether a model is configured and, with --ping, asks it one question.
"""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fengqiao.assist import llm
from fengqiao.assist.drafting.fonts import FontMissing, faces
from fengqiao.assist.models import SignedDocument
from fengqiao.core.crypto import DecryptionError


class Command(BaseCommand):
    help = "智能辅助与文书：verify 校验已签署文书；fonts 查看 PDF 嵌入字体；llm 查看大模型配置"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        sub.add_parser("verify", help="校验全部已签署文书与其 SHA-256")
        sub.add_parser("fonts", help="PDF 将嵌入的中文字体")
        p = sub.add_parser("llm", help="大模型配置（不配置时各功能使用摘录方式）")
        p.add_argument("--ping", action="store_true", help="向模型发送一个测试问题")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['verb']}")(options)

    def _verify(self, options: dict[str, Any]) -> None:
        checked, bad = 0, []
        signed = SignedDocument.objects.filter(destroyed_at__isnull=True)
        for s in signed.select_related("draft").order_by("id").iterator(chunk_size=200):
            checked += 1
            try:
                results = s.verify()
            except DecryptionError:
                results = {"content": False, "pdf": False, "docx": False}
            if not all(results.values()):
                broken = "、".join(k for k, ok in results.items() if not ok)
                bad.append(
                    f"已签署文书 {s.pk}（草稿 {s.draft_id}，纠纷 {s.draft.dispute_id}）：{broken} 与哈希不符"
                )
        for line in bad:
            self.stdout.write(line)
        destroyed = SignedDocument.objects.filter(destroyed_at__isnull=False).count()
        gone = f"（另有 {destroyed} 份因保存期限届满已销毁原件，仅存哈希）" if destroyed else ""
        self.stdout.write(f"共校验 {checked} 份已签署文书，{len(bad)} 份不一致{gone}")
        if bad:
            sys.exit(1)

    def _fonts(self, options: dict[str, Any]) -> None:
        try:
            found = faces()
        except FontMissing as e:
            self.stderr.write(e.message)
            sys.exit(1)
        for role, face in found.items():
            heavier = "（加粗描边）" if face.heavier else ""
            self.stdout.write(f"{role}: {face.family}{heavier} — {face.path}#{face.index}")

    def _llm(self, options: dict[str, Any]) -> None:
        cfg = llm.config()
        if cfg is None:
            self.stdout.write(
                "未配置大模型（FENGQIAO_LLM_BASE_URL、FENGQIAO_LLM_MODEL）：各功能使用法条与记录摘录"
            )
            return
        self.stdout.write(f"模型：{cfg.model} @ {cfg.base_url}（超时 {cfg.timeout:.0f} 秒）")
        if options["ping"]:
            try:
                reply = llm.chat([{"role": "user", "content": "请用一句话说明什么是人民调解。"}], cfg)
            except llm.LlmError as e:
                self.stderr.write(f"模型未能作答：{e}")
                sys.exit(1)
            self.stdout.write(f"{reply.model}：{reply.text}")
