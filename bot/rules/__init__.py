"""The rule engine: message facts and a guild policy in, a verdict out.

Pure by design: nothing here imports discord, touches the network, the disk or the
database, or keeps state beyond the fingerprint-keyed cache of compiled policies.
A test enforces that. The Discord side uses it like this:

    policy = policy_from_yaml(text)            # or policy_from_data(mapping); PolicyError lists problems
    compiled = compile_policy(policy, extra_terms=glossary_terms, extra_category_labels=glossary_labels)
    verdict = evaluate(MessageFacts(content, attachments), compiled, requirement=channel_requirement)
    if verdict.flagged:
        ...  # verdict.findings say where and why; verdict.fix.content passes, once
             # the files in verdict.fix.spoiler_attachments are marked as spoilers

``compile_policy`` returns the same object for the same policy and extras, so every
guild on the default policy shares one index.
"""

from bot.rules.compiled import CompiledPolicy, compile_policy
from bot.rules.engine import evaluate
from bot.rules.facts import Attachment, MessageFacts
from bot.rules.model import GuildPolicy, Pattern, Term
from bot.rules.policy_file import PolicyError, policy_from_data, policy_from_yaml, policy_to_data, validate_policy_data
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
    "policy_to_data",
    "validate_policy_data",
]
