import type { EspoCrmCore } from './crm.js';
import type { EntityData } from './model.js';

/** The in-app notifications stored so far, oldest first; those of one user when `userId` is given. */
export function notificationsOf(crm: EspoCrmCore, userId?: string): EntityData[] {
  const where = userId === undefined ? [] : [{ type: 'equals', attribute: 'userId', value: userId }];
  return crm.list('Notification', { where }).list;
}
