/** The refusal every command gives in an organization being deleted (HTTP 409 in the REST API). */
export const ORG_BEING_DELETED = 'This organization is being deleted; nothing in it can be changed any more. Its progress is on the Settings page.';

export const ORG_DELETED = 'This organization was deleted. Its owners can read the deletion receipt from the link in their mail.';
