/** Kubernetes events the sync core asks its caller to record (ESO's reasons and texts, §2.1). */
export interface SyncEvent {
  type: 'Normal' | 'Warning';
  reason: 'Created' | 'Updated' | 'Deleted' | 'UpdateFailed' | 'MissingProviderSecret';
  message: string;
}

export const EventText = {
  created: 'secret created',
  updated: 'secret updated',
  deleted: 'secret deleted due to DeletionPolicy=Delete',
  deletedOrphaned: 'secret deleted because it was orphaned',
} as const;
