"""The rule engine: message facts and a guild policy in, a verdict out.

Pure by design: nothing here imports discord, touches the network, the disk or the
database, or keeps state beyond the fingerprint-keyed cache of compiled policies.
A test enforces that.

    compiled = compile_policy(policy_from_yaml(text), extra_terms=glossary_terms)
    verdict = evaluate(MessageFacts(content, attachments), compiled)
"""

from bot.rules.compiled import CompiledPolicy, compile_policy
from bot.rules.engine import evaluate
from bot.rules.facts import Attachment, MessageFacts
from bot.rules.model import GuildPolicy, Pattern, Term
from bot.rules.policy_file import PolicyError, policy_from_data, policy_from_yaml, validate_policy_data
from bot.rules.verdict import Finding, Fix, Verdict

__all__ = [
    "Attachment",
    "CompiledPolicy",
    "Finding",
    "Fix",
    "GuildPolicy",
    "MessageFacts",
    "Pattern",
    "PolicyError",
    "Term",
    "Verdict",
    "compile_policy",
    "evaluate",
    "policy_from_data",
    "policy_from_yaml",
    "validate_policy_data",
]
