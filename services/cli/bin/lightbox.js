#!/usr/bin/env node
// The `lightbox` command. Lightbox runs its TypeScript sources directly through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
