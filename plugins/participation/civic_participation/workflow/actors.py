"""Who may run a transition: role and scope checks on the actor and the item."""

from civic_participation import permissions


def _perm(codename):
    return lambda actor, item: permissions.has_perm_on(actor, codename, item)


council_referent = _perm("speak_for_council_request")
service_agent = _perm("handle_request")
offer_agent = _perm("handle_offer")
invitation_referent = _perm("respond_invitation")
invitation_agent = _perm("handle_invitation")


def coordinator(actor, item):
    return permissions.is_coordinator(actor)


def coordinator_or_agent(actor, item):
    return coordinator(actor, item) or service_agent(actor, item)
