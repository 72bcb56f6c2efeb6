"""Optional LLM phrasing through LangChain: the model rewrites a grounded answer from the retrieved passages only."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import TYPE_CHECKING, Any

from knowledge.model import Plan
from knowledge.qa import texts as msg
from knowledge.qa.answer import Answer, cite
from knowledge.qa.grounding import ungrounded

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from planbot.settings import Settings

log = logging.getLogger(__name__)

NO_LLM_EXTRA = "已设置 LLM_MODEL=%s，但未安装可选依赖：请运行 pip install 'planbot[llm]'；回答保持确定性（不经改写）"

# Model-facing instructions (not shown to users): no new facts, keep every number and date verbatim.
SYSTEM_PROMPT = (
    "你是生态环境局的方案助手。只能根据给出的“方案原文”和“参考答案”改写回答，使其通顺、简洁。"
    "必须先回答所问的事实；不得添加原文中没有的任何数字、日期、单位或人名；数字和日期必须与原文完全一致；"
    "保留任务编号（如“第10项”）。只输出改写后的回答。"
)


class LLMRephraser:
    """Calls a LangChain chat model with a hard timeout; any failure returns None (the caller keeps its answer)."""

    def __init__(self, model: BaseChatModel, timeout: float = 8.0) -> None:
        self.model = model
        self.timeout = timeout
        # One worker: a timed-out call keeps running in the background and must not pile up threads.
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-llm")

    def __call__(self, question: str, answer: str, passages: list[str]) -> str | None:
        """The rewritten answer, or None on timeout, error or empty output."""
        from langchain_core.messages import HumanMessage, SystemMessage

        sources = "\n".join(f"- {p}" for p in passages if p.strip())
        prompt = msg.QA_LLM_PROMPT.plain(question=question, sources=sources, answer=answer)
        future = self._pool.submit(self.model.invoke, [SystemMessage(SYSTEM_PROMPT), HumanMessage(prompt)])
        try:
            reply: Any = future.result(timeout=self.timeout)
        except FutureTimeout:
            log.warning("LLM phrasing timed out after %.1fs; using the deterministic answer", self.timeout)
            return None
        except Exception as exc:  # the model's own errors (network, auth, parsing) only cost the phrasing
            log.warning("LLM phrasing failed: %s", exc)
            return None
        content = getattr(reply, "content", reply)
        if isinstance(content, list):  # some providers return content blocks
            content = "".join(part.get("text", "") if isinstance(part, dict) else str(part) for part in content)
        text = str(content or "").strip()
        return text or None


def rephrased(llm: Callable[[str, str, list[str]], str | None], plan: Plan, question: str, answer: Answer,
              sources: list[str]) -> Answer:
    """Let the optional LLM reword the answer; keep it only if it passes the same check and keeps its citations."""
    try:
        text = llm(question, answer.text, [s for s in sources if s])
    except Exception as exc:  # any model failure (timeout, network, parsing) keeps the grounded answer
        log.warning("LLM phrasing failed: %s", exc)
        return answer
    if not text or not text.strip():
        return answer
    bad = ungrounded(text, sources)
    if bad:
        log.warning("LLM answer rejected, ungrounded numbers/dates: %s", bad)
        return answer
    text = text.strip()
    missing = [n for n in answer.tasks if msg.QA_TASK_LABEL.plain(number=n) not in text]
    cited = plan.task(missing[0]) if missing else None
    if missing and len(answer.tasks) == 1 and cited is not None:  # keep the grounded answer's citation
        text += msg.QA_CITE_PAREN.plain(cite=cite(cited))
    elif missing:  # a list rewritten without its numbers loses its point
        return answer
    return Answer(text, answer.tasks, answer.refused, answer.sources, answer.intent)


def build_rephraser(settings: Settings) -> LLMRephraser | None:
    """The rephraser for LLM_MODEL (off when unset); a model that cannot be built leaves phrasing off."""
    if not settings.llm_model:
        return None
    try:
        from langchain.chat_models import init_chat_model
    except ImportError:  # LangChain's model clients are the optional extra [llm]
        log.warning(NO_LLM_EXTRA, settings.llm_model)
        return None
    try:
        kwargs: dict[str, Any] = {"timeout": settings.llm_timeout}
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
        if settings.llm_api_key:
            kwargs["api_key"] = settings.llm_api_key
        model = init_chat_model(settings.llm_model, **kwargs)
    except Exception as exc:  # a missing provider package or a bad model name must not stop the bot
        log.warning("LLM %s not available, answers stay deterministic: %s", settings.llm_model, exc)
        return None
    return LLMRephraser(model, settings.llm_timeout)
