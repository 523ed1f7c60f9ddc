#!/usr/bin/env node
// The `lightbox` command. Lightbox runs its TypeScript sources directly through tsx.
import { requireSupportedNode } from './check-node.js';

requireSupportedNode();
const { register } = await import('tsx/esm/api');
register();
await import('../src/main.ts');
