import type { ClientSession, Collection, Document } from 'mongodb';

/**
 * The aggregation pipeline that yields each distinct value of a scalar `field` among the documents
 * matching `filter`, as `{ _id: value }`.
 */
export function distinctPipeline(field: string, filter: Document): Document[] {
  return [{ $match: filter }, { $group: { _id: `$${field}` } }];
}

/**
 * The distinct values of a scalar string field, through an aggregation rather than the `distinct`
 * command: `distinct` is refused inside transactions on sharded collections
 * (OperationNotSupportedInTransaction) and its answer is one document capped at 16 MB, while an
 * aggregation streams its results in batches and runs in any transaction.
 */
export async function distinctValues<T extends Document>(
  collection: Collection<T>,
  field: string,
  filter: Document,
  session: ClientSession | undefined,
): Promise<string[]> {
  const values: string[] = [];
  const cursor = collection.aggregate<{ _id: unknown }>(distinctPipeline(field, filter), { session });
  for await (const row of cursor) {
    if (row._id !== null && row._id !== undefined) values.push(String(row._id));
  }
  return values;
}
