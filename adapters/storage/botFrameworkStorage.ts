/**
 * Bot Framework `Storage` (ConversationState, UserState…) on top of any DocumentStore, in the
 * `state` collection.
 *
 * Partitioning: by default each state key is its own partition and the key is also the document
 * id (as CosmosDbPartitionedStorage does). BF keys such as `msteams/conversations/<id>` and
 * `msteams/users/<id>` then map one-to-one to partitions, so erasing a conversation's or a user's
 * state is a `deletePartition` on the key. Pass `partitionKeyFor` to group keys differently; it
 * must depend on the key alone.
 *
 * eTag contract: an item with an eTag other than '*' is written only if the stored version still
 * has that eTag (else PreconditionFailedError). That also applies when the stored item has been
 * deleted in the meantime — unlike MemoryStorage, which would recreate it — so a turn in flight
 * cannot resurrect state that was just erased. '*' or no eTag: unconditional write (what BotState
 * does by default: last writer wins).
 */
import type { Storage, StoreItems } from 'botbuilder';
import { NotFoundError, PreconditionFailedError, type DocumentStore } from '../../core/ports/documentStore';

export interface BotFrameworkStorageOptions {
  readonly partitionKeyFor?: (key: string) => string;
}

const COLLECTION = 'state';

export class BotFrameworkStorage implements Storage {
  private readonly partitionKeyFor: (key: string) => string;

  constructor(
    private readonly store: DocumentStore,
    options: BotFrameworkStorageOptions = {},
  ) {
    this.partitionKeyFor = options.partitionKeyFor ?? ((key) => key);
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when reading.');
    const items: StoreItems = {};
    const docs = await Promise.all(
      keys.map((key) => this.store.get<Record<string, unknown>>(COLLECTION, this.partitionKeyFor(key), key)),
    );
    docs.forEach((doc, i) => {
      if (doc) items[keys[i]] = { ...doc.body, eTag: doc.etag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes || typeof changes !== 'object') throw new ReferenceError('Changes are required when writing.');
    await Promise.all(Object.entries(changes).map(([key, change]) => this.writeOne(key, change)));
  }

  async delete(keys: string[]): Promise<void> {
    if (!Array.isArray(keys)) throw new ReferenceError('Keys are required when deleting.');
    await Promise.all(keys.map((key) => this.store.delete(COLLECTION, this.partitionKeyFor(key), key)));
  }

  private async writeOne(key: string, change: unknown): Promise<void> {
    // The eTag is the store's business, not part of the saved state.
    const { eTag, ...body } = (change ?? {}) as Record<string, unknown>;
    const partitionKey = this.partitionKeyFor(key);
    if (typeof eTag === 'string' && eTag !== '*' && eTag !== '') {
      try {
        await this.store.replace(COLLECTION, partitionKey, key, body, eTag);
      } catch (error) {
        if (error instanceof NotFoundError) {
          throw new PreconditionFailedError('State item was deleted since it was read', { cause: error });
        }
        throw error;
      }
      return;
    }
    await this.store.upsert(COLLECTION, partitionKey, key, body);
  }
}
