import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The hub's custom search attributes (config/search-attributes.json registers them on the server). */
export const HubEntityType = defineSearchAttributeKey('HubEntityType', SearchAttributeType.KEYWORD);
export const HubEntityId = defineSearchAttributeKey('HubEntityId', SearchAttributeType.KEYWORD);
export const HubOutcome = defineSearchAttributeKey('HubOutcome', SearchAttributeType.KEYWORD);
export const HubEmployee = defineSearchAttributeKey('HubEmployee', SearchAttributeType.KEYWORD);
