import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import initC2pa, { WasmReader } from '@contentauth/c2pa-wasm';
import type { C2paProvenance } from '@lightbox/contracts';
import {
  extractManifestStore,
  provablyWithoutManifestStore,
  remoteManifestUrl,
  sniffContainer,
} from './manifest-store.js';
import { type ReaderManifestStore, summariseManifestStore, summariseReaderError } from './summarise.js';
import { EMPTY_TRUST_LIST, type TrustList } from './trust-list.js';

let loading: Promise<unknown> | undefined;

/** Compiles and instantiates the C2PA SDK's WebAssembly build once per process (about 50–100 ms). */
function loadC2pa(): Promise<unknown> {
  loading ??= (async () => {
    const path = createRequire(import.meta.url).resolve('@contentauth/c2pa-wasm/c2pa.wasm');
    return initC2pa({ module_or_path: await readFile(path) });
  })();
  return loading;
}

/** What `C2paValidator.check` found: the record, and the store to keep when there is one. */
export interface C2paCheck {
  provenance: C2paProvenance;
  /** The embedded manifest store as `application/c2pa` bytes (JPEG and PNG), to keep beside the photo. */
  manifestStore?: Buffer;
}

/**
 * Verifies C2PA Content Credentials with the C2PA SDK (c2pa-rs compiled to WebAssembly,
 * `@contentauth/c2pa-wasm`): claim signature, certificate chain against the trust list, and the
 * hard binding (data hash) against exactly the bytes given. Never touches the network: remote
 * manifests and OCSP are not fetched. One instance per process; safe for concurrent calls.
 */
export class C2paValidator {
  private readonly settings: string;

  constructor(readonly trustList: TrustList = EMPTY_TRUST_LIST) {
    const trust = trustList.anchorsPem ? { trust_anchors: trustList.anchorsPem } : {};
    this.settings = JSON.stringify({
      verify: { verify_trust: true, remote_manifest_fetch: false, ocsp_fetch: false },
      trust,
    });
  }

  /** Loads the WebAssembly module now rather than on the first photo. */
  async ready(): Promise<void> {
    await loadC2pa();
  }

  /**
   * Checks one asset. `contentType` is the sniffed type (`image/jpeg`, `image/png`, …). A JPEG or PNG
   * whose headers hold no JUMBF is answered without starting the SDK (most wire photos).
   * Never throws for bad credentials or broken files: they are `invalid` with the reason.
   */
  async check(bytes: Buffer, contentType: string): Promise<C2paCheck> {
    if (provablyWithoutManifestStore(bytes)) {
      const remote = remoteManifestUrl(bytes);
      return {
        provenance: {
          state: 'absent',
          trusted: false,
          actions: [],
          ingredients: 0,
          ...(remote ? { remoteManifestUrl: remote } : {}),
        },
      };
    }
    const container = sniffContainer(bytes);
    const manifestStore = extractManifestStore(bytes);
    await loadC2pa();
    let reader: WasmReader | undefined;
    let provenance: C2paProvenance;
    try {
      reader = await WasmReader.fromBytes(
        container ? `image/${container}` : contentType,
        bytes,
        this.settings,
      );
      provenance = summariseManifestStore(reader.manifestStore() as ReaderManifestStore);
    } catch (err) {
      provenance = summariseReaderError(err);
    } finally {
      reader?.free();
    }
    return manifestStore ? { provenance, manifestStore } : { provenance };
  }
}
