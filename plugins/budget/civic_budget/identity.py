"""Keyed hashes that keep who voted apart from what they chose.

A registration holds ``identity_key`` (and ``account_key`` for online voters); the ballot holds
``receipt_key``, derived from the identity key with another label. Without the secret, nobody can
tell which ballot belongs to which registration.
"""

import hashlib
import hmac
import json

from django.conf import settings

from civic_budget.app_settings import app_settings


def _secret():
    configured = app_settings.IDENTITY_KEY
    if configured:
        return configured.encode()
    return hashlib.sha256(b"civic_budget.identity:" + settings.SECRET_KEY.encode()).digest()


def keyed_hash(label, *parts):
    message = json.dumps([label, *[str(part) for part in parts]], ensure_ascii=False)
    return hmac.new(_secret(), message.encode(), hashlib.sha256).hexdigest()


def identity_key(process_id, identity):
    return keyed_hash("identity", process_id, identity)


def account_key(process_id, user_id):
    return keyed_hash("account", process_id, user_id)


def receipt_key(process_id, identity_key_value):
    return keyed_hash("receipt", process_id, identity_key_value)


def paper_entry_digest(process_id, identity_key_value, zone_id, age_bucket, choices):
    canonical = json.dumps(sorted(choices.items()))
    return keyed_hash("paper", process_id, identity_key_value, zone_id, age_bucket, canonical)
