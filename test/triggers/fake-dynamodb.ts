/*
 * An in-memory DynamoDB table for the lockout tests and benchmark. It interprets the subset of
 * the expression language the lockout uses (SET, ADD, REMOVE; attribute_exists,
 * attribute_not_exists, comparisons, AND, OR, NOT, parentheses) and behaves like DynamoDB where
 * the lockout relies on it:
 * - each request is applied atomically: the condition is evaluated and the write made with no
 *   other request in between, while requests in flight complete in an arbitrary order;
 * - a failed condition throws ConditionalCheckFailedException and writes nothing;
 * - unused or undefined expression names and values are a ValidationException;
 * - an aborted request throws AbortError without being applied.
 */
import type {
  AttributeValue, DeleteItemCommandInput, GetItemCommandInput, UpdateItemCommandInput, UpdateItemCommandOutput,
} from '@aws-sdk/client-dynamodb';
import type { LockoutTableClient } from '../../src/triggers/lockout/lockout-store';

type Item = Record<string, AttributeValue>;

export class DynamoDbError extends Error {
  public readonly $metadata = { httpStatusCode: 400 };
  constructor(name: string, message: string, public readonly Item?: Item) {
    super(message);
    this.name = name;
  }
}

export interface FakeCall {
  readonly operation: 'UpdateItem' | 'DeleteItem' | 'GetItem';
  readonly key: string;
}

export class FakeDynamoDb implements LockoutTableClient {
  /** Every request received, in arrival order (failed and aborted ones included). */
  public readonly calls: FakeCall[] = [];
  /** When set, every request fails with this error instead of being applied (an outage or throttling). */
  public outage?: () => Error;
  private readonly items = new Map<string, Item>();

  constructor(private readonly tableName: string, private readonly hashKey = 'pk') {}

  /** Delay before each request is applied; random by default so that concurrent requests interleave. */
  public latencyMs: () => number = () => Math.random() * 3;

  public async updateItem(input: UpdateItemCommandInput, abortSignal?: AbortSignal): Promise<Pick<UpdateItemCommandOutput, 'Attributes'>> {
    const key = this.keyOf(input.TableName, input.Key);
    this.calls.push({ operation: 'UpdateItem', key });
    await this.arrive(abortSignal);
    const expressions = new Expressions(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
    const old = this.items.get(key);
    const condition = input.ConditionExpression ? expressions.parseCondition(input.ConditionExpression) : undefined;
    const actions = expressions.parseUpdate(input.UpdateExpression ?? '');
    expressions.assertAllUsed();
    if (condition && !condition(old ?? {})) {
      throw new DynamoDbError('ConditionalCheckFailedException', 'The conditional request failed',
        input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD' ? clone(old) : undefined);
    }
    const next: Item = { ...clone(old ?? {}), [this.hashKey]: { S: key } };
    const updated = new Set<string>();
    for (const apply of actions) {
      apply(next);
      updated.add(apply.attribute);
    }
    this.items.set(key, next);
    switch (input.ReturnValues ?? 'NONE') {
      case 'ALL_NEW': return { Attributes: clone(next) };
      case 'ALL_OLD': return { Attributes: clone(old) };
      case 'UPDATED_NEW': return { Attributes: pick(next, updated) };
      case 'UPDATED_OLD': return { Attributes: old ? pick(old, updated) : undefined };
      default: return {};
    }
  }

  public async deleteItem(input: DeleteItemCommandInput, abortSignal?: AbortSignal): Promise<{ Attributes?: Item }> {
    const key = this.keyOf(input.TableName, input.Key);
    this.calls.push({ operation: 'DeleteItem', key });
    await this.arrive(abortSignal);
    const expressions = new Expressions(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
    const condition = input.ConditionExpression ? expressions.parseCondition(input.ConditionExpression) : undefined;
    expressions.assertAllUsed();
    const old = this.items.get(key);
    if (condition && !condition(old ?? {})) {
      throw new DynamoDbError('ConditionalCheckFailedException', 'The conditional request failed');
    }
    this.items.delete(key);
    return input.ReturnValues === 'ALL_OLD' ? { Attributes: clone(old) } : {};
  }

  public async getItem(input: GetItemCommandInput): Promise<{ Item?: Item }> {
    const key = this.keyOf(input.TableName, input.Key);
    this.calls.push({ operation: 'GetItem', key });
    await this.arrive();
    return { Item: clone(this.items.get(key)) };
  }

  /** The stored item, as DynamoDB holds it (TTL never deletes anything here). */
  public peek(key: string): Item | undefined {
    return clone(this.items.get(key));
  }

  /** Stores an item directly, for example a record whose TTL has passed but that DynamoDB has not deleted yet. */
  public seed(key: string, item: Item): void {
    this.items.set(key, { ...clone(item), [this.hashKey]: { S: key } });
  }

  public callsFor(key: string): FakeCall[] {
    return this.calls.filter((c) => c.key === key);
  }

  private keyOf(tableName: string | undefined, key: Item | undefined): string {
    if (tableName !== this.tableName) {
      throw new DynamoDbError('ResourceNotFoundException', `Requested resource not found: Table: ${tableName} not found`);
    }
    const names = Object.keys(key ?? {});
    const value = key?.[this.hashKey]?.S;
    if (names.length !== 1 || typeof value !== 'string') {
      throw new DynamoDbError('ValidationException', 'The provided key element does not match the schema');
    }
    return value;
  }

  private async arrive(abortSignal?: AbortSignal): Promise<void> {
    const latency = this.latencyMs();
    if (latency > 0) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, latency);
        abortSignal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(abortError());
        }, { once: true });
      });
    }
    if (abortSignal?.aborted) throw abortError();
    if (this.outage) throw this.outage();
  }
}

function abortError(): Error {
  const error = new Error('Request aborted');
  error.name = 'AbortError';
  return error;
}

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

function pick(item: Item, attributes: Set<string>): Item {
  return Object.fromEntries(Object.entries(item).filter(([name]) => attributes.has(name)).map(([n, v]) => [n, clone(v)]));
}

type Condition = (item: Item) => boolean;
type Action = ((item: Item) => void) & { attribute: string };

/** Parses expressions against their name and value maps, tracking which entries are used. */
class Expressions {
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();
  private tokens: string[] = [];
  private position = 0;

  constructor(private readonly names: Record<string, string> = {}, private readonly values: Record<string, AttributeValue> = {}) {}

  public assertAllUsed(): void {
    const unusedNames = Object.keys(this.names).filter((n) => !this.usedNames.has(n));
    const unusedValues = Object.keys(this.values).filter((v) => !this.usedValues.has(v));
    if (unusedNames.length > 0) throw new DynamoDbError('ValidationException', `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    if (unusedValues.length > 0) throw new DynamoDbError('ValidationException', `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }

  public parseCondition(expression: string): Condition {
    this.start(expression);
    const condition = this.orExpression();
    if (this.position !== this.tokens.length) this.invalid(expression);
    return condition;
  }

  public parseUpdate(expression: string): Action[] {
    this.start(expression);
    const actions: Action[] = [];
    while (this.position < this.tokens.length) {
      const clause = this.next().toUpperCase();
      do {
        if (clause === 'SET') {
          const attribute = this.name();
          this.expect('=');
          const value = this.value();
          actions.push(action(attribute, (item) => { item[attribute] = value; }));
        } else if (clause === 'ADD') {
          const attribute = this.name();
          const value = this.value();
          actions.push(action(attribute, (item) => {
            const current = item[attribute];
            if (current && current.N === undefined) throw new DynamoDbError('ValidationException', 'An operand in the update expression has an incorrect data type');
            item[attribute] = { N: String(Number(current?.N ?? 0) + Number(value.N)) };
          }));
        } else if (clause === 'REMOVE') {
          const attribute = this.name();
          actions.push(action(attribute, (item) => { delete item[attribute]; }));
        } else {
          this.invalid(expression);
        }
      } while (this.accept(','));
    }
    const attributes = actions.map((a) => a.attribute);
    if (new Set(attributes).size !== attributes.length) {
      throw new DynamoDbError('ValidationException', 'Two document paths overlap with each other');
    }
    return actions;
  }

  private start(expression: string): void {
    this.tokens = expression.match(/[#:]?[A-Za-z_][A-Za-z0-9_]*|<>|<=|>=|[=<>(),]/g) ?? [];
    this.position = 0;
  }

  private orExpression(): Condition {
    let left = this.andExpression();
    while (this.acceptWord('OR')) {
      const l = left; const r = this.andExpression();
      left = (item) => l(item) || r(item);
    }
    return left;
  }

  private andExpression(): Condition {
    let left = this.unary();
    while (this.acceptWord('AND')) {
      const l = left; const r = this.unary();
      left = (item) => l(item) && r(item);
    }
    return left;
  }

  private unary(): Condition {
    if (this.acceptWord('NOT')) {
      const inner = this.unary();
      return (item) => !inner(item);
    }
    if (this.accept('(')) {
      const inner = this.orExpression();
      this.expect(')');
      return inner;
    }
    const word = this.peek();
    if (word === 'attribute_exists' || word === 'attribute_not_exists') {
      this.next();
      this.expect('(');
      const attribute = this.name();
      this.expect(')');
      return word === 'attribute_exists' ? (item) => item[attribute] !== undefined : (item) => item[attribute] === undefined;
    }
    const left = this.operand();
    const operator = this.next();
    if (!['=', '<>', '<', '<=', '>', '>='].includes(operator)) this.invalid(operator);
    const right = this.operand();
    return (item) => compare(left(item), operator, right(item));
  }

  private operand(): (item: Item) => AttributeValue | undefined {
    if (this.peek()?.startsWith(':')) {
      const value = this.value();
      return () => value;
    }
    const attribute = this.name();
    return (item) => item[attribute];
  }

  private name(): string {
    const token = this.next();
    if (token.startsWith('#')) {
      if (!(token in this.names)) throw new DynamoDbError('ValidationException', `An expression attribute name used in the document path is not defined; attribute name: ${token}`);
      this.usedNames.add(token);
      return this.names[token];
    }
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(token)) this.invalid(token);
    return token;
  }

  private value(): AttributeValue {
    const token = this.next();
    if (!token.startsWith(':') || !(token in this.values)) {
      throw new DynamoDbError('ValidationException', `An expression attribute value used in expression is not defined; attribute value: ${token}`);
    }
    this.usedValues.add(token);
    return this.values[token];
  }

  private peek(): string | undefined {
    return this.tokens[this.position];
  }

  private next(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) this.invalid('end of expression');
    return token;
  }

  private accept(token: string): boolean {
    if (this.peek() === token) { this.position++; return true; }
    return false;
  }

  private acceptWord(word: string): boolean {
    if (this.peek()?.toUpperCase() === word) { this.position++; return true; }
    return false;
  }

  private expect(token: string): void {
    if (!this.accept(token)) this.invalid(this.peek() ?? 'end of expression');
  }

  private invalid(near: string): never {
    throw new DynamoDbError('ValidationException', `Invalid expression: syntax error near "${near}"`);
  }
}

function action(attribute: string, apply: (item: Item) => void): Action {
  return Object.assign(apply, { attribute });
}

function compare(left: AttributeValue | undefined, operator: string, right: AttributeValue | undefined): boolean {
  if (left === undefined || right === undefined) return false;
  let a: number | string;
  let b: number | string;
  if (left.N !== undefined && right.N !== undefined) {
    a = Number(left.N); b = Number(right.N);
  } else if (left.S !== undefined && right.S !== undefined) {
    a = left.S; b = right.S;
  } else {
    return operator === '<>';
  }
  switch (operator) {
    case '=': return a === b;
    case '<>': return a !== b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '>': return a > b;
    default: return a >= b;
  }
}
