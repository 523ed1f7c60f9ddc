import { errorSchema } from '@lightbox/desk';
import { z } from 'zod';
import type { Operation } from './operation.js';

type JsonSchema = Record<string, unknown>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Bad input (validation_error, bad_request)',
  401: 'No or unknown credentials',
  403: 'The credentials do not allow this',
  404: 'Not found',
  409: 'Conflict (the reason is in the message)',
  413: 'Too large',
  415: 'Unsupported media type',
  422: 'Rejected input (the code names the reason)',
  429: 'Rate limited (rate_limited names the budget)',
  500: 'Internal error',
  503: 'A back end is down',
};

/**
 * Turns zod schemas into JSON Schema 2020-12 (OpenAPI 3.1's dialect), collecting every schema with a
 * `meta({ id })` into `components.schemas` and pointing at it with `$ref`.
 */
class SchemaCollector {
  readonly components: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const json = z.toJSONSchema(schema, {
      io,
      target: 'draft-2020-12',
      unrepresentable: 'any',
    }) as JsonSchema;
    const { $schema: _dialect, $defs, ...rest } = json as JsonSchema & { $defs?: Record<string, JsonSchema> };
    // A schema with an id comes back as a $ref to its own $defs entry.
    for (const [id, def] of Object.entries($defs ?? {})) this.components[id] = relink(def);
    return relink(rest);
  }
}

/** `$ref`s zod writes as `#/$defs/X` point at the document's components instead. */
function relink(schema: JsonSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/')) as JsonSchema;
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z_]\w*)/g, '{$1}');

function parameters(op: Operation, schemas: SchemaCollector) {
  const list: JsonSchema[] = [];
  for (const [where, object] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!object) continue;
    const json = schemas.convert(object, 'input') as {
      properties?: Record<string, JsonSchema>;
      required?: string[];
    };
    for (const [name, schema] of Object.entries(json.properties ?? {})) {
      const { description, ...rest } = schema as JsonSchema & { description?: string };
      list.push({
        name,
        in: where,
        required: where === 'path' || (json.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return list;
}

const SECURITY: Record<Operation['caller'], JsonSchema[] | undefined> = {
  public: [],
  feed: [{ bearer: [] }],
  reader: [{}, { bearer: [] }],
  editor: [{ bearer: [] }, { session: [] }],
  admin: [{ bearer: [] }, { session: [] }],
  metrics: [{}, { bearer: [] }],
};

function operationObject(op: Operation, schemas: SchemaCollector): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  for (const [status, response] of Object.entries(op.responses)) {
    const type = response.contentType ?? 'application/json';
    const content = response.schema
      ? { [type]: { schema: schemas.convert(response.schema, 'output') } }
      : Number(status) >= 400
        ? errorContent
        : undefined;
    responses[status] = { description: response.description, ...(content ? { content } : {}) };
  }
  const errors = [
    400,
    500,
    ...(op.caller === 'public' || op.caller === 'metrics' ? [] : [401, 403]),
    ...(op.params ? [404] : []),
    429,
  ];
  for (const status of errors)
    responses[String(status)] ??= {
      description: ERROR_DESCRIPTIONS[status] ?? 'Error',
      content: errorContent,
    };
  const body = op.body;
  const params = parameters(op, schemas);
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            ...(body.description ? { description: body.description } : {}),
            content: Object.fromEntries(
              (body.contentTypes ?? ['application/json']).map((type) => [
                type,
                { schema: body.schema && /json/.test(type) ? schemas.convert(body.schema, 'input') : {} },
              ]),
            ),
          },
        }
      : {}),
    responses,
    security: SECURITY[op.caller],
  };
}

/** The OpenAPI 3.1 document of the operations given. */
export function openApiDocument(operations: Operation[], info: { version: string }): JsonSchema {
  const schemas = new SchemaCollector();
  schemas.convert(errorSchema, 'output');
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of operations) {
    if (op.hidden) continue;
    const path = openApiPath(op.path);
    paths[path] ??= {};
    (paths[path] as Record<string, JsonSchema>)[op.method.toLowerCase()] = operationObject(op, schemas);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Lightbox API',
      version: info.version,
      description:
        'Wire photos in, galleries out. Errors are {"error": {"code", "message"}}; see docs/api.md for the contract.',
    },
    paths,
    components: {
      schemas: schemas.components,
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'A feed key (push only), an editor or admin token, or a gallery read token',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'lightbox_session',
          description: 'The dashboard session; state-changing requests also need X-CSRF-Token',
        },
      },
    },
  };
}
