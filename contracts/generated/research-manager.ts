// Generated from contracts/services/research-manager.yaml by contracts/generate.ts. Do not edit.

export interface paths {
    "/contexts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The acting user's contexts, newest first, a page at a time */
        get: operations["listContexts"];
        put?: never;
        /** Create a research context, as a draft */
        post: operations["createContext"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        /** A context with its sources and targets; also when deleted (`deletedAt` set) */
        get: operations["getContext"];
        put?: never;
        post?: never;
        /**
         * Delete a context, restorably; refused while it is exporting
         * @description The context leaves the lists (unless deleted ones are asked for) and takes no changes
         *     until restored; it and its runs stay readable.
         */
        delete: operations["deleteContext"];
        options?: never;
        head?: never;
        /** Rename a context, change its description or replace its metadata */
        patch: operations["updateContext"];
        trace?: never;
    };
    "/contexts/{contextId}/restore": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bring a deleted context back, as it was */
        post: operations["restoreContext"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        /** A context's runs, newest first, a page at a time */
        get: operations["listRuns"];
        put?: never;
        /**
         * Start an export run; the context moves to `exporting` at the same time
         * @description A transition of the context (from `ready`, `failed` or `exported`), so it needs the
         *     context's `If-Match`. The run keeps a copy of the context's sources and of the chosen
         *     targets (all by default; ids the context does not have are refused with 422
         *     `research.reference.unknown`). One run at a time: while one runs, the context is
         *     `exporting` and another start is refused (409).
         */
        post: operations["startRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        /** A run with its targets, totals and the files being transferred */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}/runs/{runId}/end": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End a run; the context becomes `exported` or `failed`, or `ready` when cancelled
         * @description The run is `done` when every target is `done`, and the context `exported`. Otherwise,
         *     with `cancelled` (the user stopped the export), the run is `cancelled` with the reason
         *     given: targets and files not finished go back to `pending` (they were not tried, nothing
         *     failed; files and targets `done` or `failed` stay so), and the context goes back to
         *     `exported` if it was as the run started (that export's record still stands), else to
         *     `ready`. Otherwise the run is `failed`, and so is the context: targets and files still
         *     unfinished are marked failed with the reason given (the run's own reason too). What the
         *     targets reported back is copied to the context's targets either way, so that the next
         *     run finds its record (and its draft, with the files already sent).
         *     Not conditional on an `ETag`: workers may still be updating files, and a run ends once
         *     (ending it again is refused with 409 `research.run.ended`). The exporter ends runs, also
         *     when the user cancels one.
         */
        post: operations["endRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}/runs/{runId}/files": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        /** A run's files in the order they were registered, a page at a time */
        get: operations["listRunFiles"];
        put?: never;
        /**
         * Register files to transfer in a running run, as `pending`; safe to repeat
         * @description A file is one source path going to one target. Files already registered (same target,
         *     source and path) are answered as they are, so a retried call registers nothing twice.
         *     Targets and sources the run does not have are refused with 422
         *     `research.reference.unknown`, pointing at each.
         */
        post: operations["addRunFiles"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}/runs/{runId}/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                fileId: components["schemas"]["Id"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Record one file's progress in a running run
         * @description Changes this file only: workers updating different files of one run never overwrite
         *     each other's progress.
         */
        patch: operations["updateRunFile"];
        trace?: never;
    };
    "/contexts/{contextId}/runs/{runId}/targets/{targetId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
                targetId: components["parameters"]["targetId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Record a target's state in a running run, and what it reported back */
        patch: operations["updateRunTarget"];
        trace?: never;
    };
    "/contexts/{contextId}/sources": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a source; a change of the context (needs its `If-Match`) */
        post: operations["addSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}/sources/{sourceId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                sourceId: components["parameters"]["sourceId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a source (runs keep their own copy of it) */
        delete: operations["removeSource"];
        options?: never;
        head?: never;
        /** Change a source's port or replace its settings */
        patch: operations["updateSource"];
        trace?: never;
    };
    "/contexts/{contextId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Move a context to another state of its lifecycle
         * @description Allowed here: `draft` → `ready`, `ready` → `draft`, `failed` → `ready`,
         *     `exported` → `ready`. Entering and leaving `exporting` (from `ready`, `failed` or
         *     `exported`; to `exported` or `failed`, or back to `ready` or `exported` when the run is
         *     cancelled) happens only as an export run starts and ends.
         *     Any other move is refused with 409 `research.transition.refused`, naming `from` and `to`.
         */
        put: operations["changeStatus"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}/targets": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add a target; a change of the context (needs its `If-Match`) */
        post: operations["addTarget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/contexts/{contextId}/targets/{targetId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                targetId: components["parameters"]["targetId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a target (runs keep their own copy of it) */
        delete: operations["removeTarget"];
        options?: never;
        head?: never;
        /**
         * Change a target's port or replace its settings
         * @description What the target reported back (`reported`) is written by export runs only.
         */
        patch: operations["updateTarget"];
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Bytes: number;
        Context: {
            createdAt: components["schemas"]["Timestamp"];
            /** @description Set while the context is deleted. */
            deletedAt?: components["schemas"]["Timestamp"];
            description: string;
            id: components["schemas"]["Id"];
            /** @description How the research is described, once set; what every target receives. */
            metadata?: components["schemas"]["ResearchMetadata"];
            name: string;
            sources: components["schemas"]["Source"][];
            status: components["schemas"]["Status"];
            targets: components["schemas"]["Target"][];
            updatedAt: components["schemas"]["Timestamp"];
        };
        Creator: {
            affiliations?: {
                name: string;
                ror?: components["schemas"]["Ror"];
            }[];
            familyName?: string;
            givenName?: string;
            /** @description As cited: "Family, Given" for people. */
            name: string;
            /**
             * @default Personal
             * @enum {string}
             */
            nameType?: "Personal" | "Organizational";
            /**
             * @description An ORCID iD, as its URL (`https://orcid.org/0000-0002-1825-0097`) or bare; kept bare
             *     (`0000-0002-1825-0097`). The checks flag one whose check digit fails.
             * @example 0000-0002-1825-0097
             */
            orcid?: string;
        };
        Description: string;
        /**
         * Format: uuid
         * @description Stable and opaque.
         */
        Id: string;
        Name: string;
        /** @description Present while there are more items; pass it as `cursor` for the next page. */
        NextCursor: string;
        /** @description What was left out of a target, and why, for people; kept whatever the state. */
        Note: string;
        /** @description Absolute within the user's storage, `/`-separated. */
        Path: string;
        /** @description The name a port is registered under in token-storage, e.g. `port-zenodo`. */
        PortName: string;
        /** @description RFC 9457 problem details with the RDS extensions. */
        Problem: {
            /** @description Values the message refers to. */
            args?: Record<string, unknown>;
            /** @description For people; clients must not parse it. */
            detail: string;
            /** @description One entry per invalid part of the request. */
            errors?: {
                detail: string;
                /** @description JSON Pointer into the request, e.g. `#/servicename` or `#/query/limit`. */
                pointer: string;
            }[];
            instance: string;
            /** @description Stable key for translations and clients, e.g. `request.invalid`. */
            messageKey: string;
            status: number;
            title: string;
            traceId?: string;
            /** @description A URI naming the problem type; `about:blank` when the status says it all. */
            type: string;
        };
        /** @description Why it failed, for people. */
        Reason: string;
        RemoteId: string;
        /**
         * @description RDS's canonical description of a research context, based on DataCite 4. Every field is
         *     optional here; what a target needs is checked per target before an export starts.
         */
        ResearchMetadata: {
            creators?: components["schemas"]["Creator"][];
            /** @description Plain text or limited HTML. */
            description?: string;
            funding?: {
                awardNumber?: string;
                awardTitle?: string;
                funder: {
                    name: string;
                    ror?: components["schemas"]["Ror"];
                };
            }[];
            keywords?: string[];
            /**
             * @description The language of the resource as an ISO 639-3 code (`eng`, `deu`); an ISO 639-1 code
             *     (`en`) is taken too and kept as its ISO 639-3 code. A language's name is not a code.
             * @example eng
             */
            language?: string;
            license?: {
                /**
                 * @description An identifier of the SPDX License List, e.g. `CC-BY-4.0` (kept as SPDX spells it;
                 *     withdrawn ids such as `GPL-3.0` are flagged by the checks).
                 * @example CC-BY-4.0
                 */
                id: string;
                /** Format: uri */
                url?: string;
            };
            /** Format: date */
            publicationDate?: string;
            /**
             * @description Who publishes the record (DataCite 4 Publisher, mandatory there). When it is not
             *     given, a target that needs one uses its own default (Zenodo: "Zenodo").
             */
            publisher?: string;
            relatedIdentifiers?: {
                identifier: string;
                /**
                 * @description A DataCite relation type.
                 * @enum {string}
                 */
                relationType: "IsCitedBy" | "Cites" | "IsSupplementTo" | "IsSupplementedBy" | "IsContinuedBy" | "Continues" | "IsDescribedBy" | "Describes" | "HasMetadata" | "IsMetadataFor" | "HasVersion" | "IsVersionOf" | "IsNewVersionOf" | "IsPreviousVersionOf" | "IsPartOf" | "HasPart" | "IsReferencedBy" | "References" | "IsDocumentedBy" | "Documents" | "IsCompiledBy" | "Compiles" | "IsVariantFormOf" | "IsOriginalFormOf" | "IsIdenticalTo" | "IsReviewedBy" | "Reviews" | "IsDerivedFrom" | "IsSourceOf" | "IsRequiredBy" | "Requires" | "IsObsoletedBy" | "Obsoletes";
                /** @enum {string} */
                scheme: "doi" | "url" | "handle" | "isbn" | "issn" | "orcid" | "arxiv" | "pmid" | "urn";
            }[];
            /** @enum {string} */
            resourceType?: "dataset" | "software" | "publication" | "image" | "video" | "audio" | "poster" | "presentation" | "workflow" | "other";
            title?: string;
            version?: string;
        };
        /**
         * @description A ROR id of an organisation, as its URL (`https://ror.org/05gq02987`) or bare; kept bare
         *     (`05gq02987`).
         * @example 05gq02987
         */
        Ror: string;
        Run: {
            action: components["schemas"]["RunAction"];
            contextId: components["schemas"]["Id"];
            /** @description The files being transferred now, most recently changed first. */
            currentFiles: components["schemas"]["RunFile"][];
            endedAt?: components["schemas"]["Timestamp"];
            id: components["schemas"]["Id"];
            reason?: components["schemas"]["Reason"];
            /** @description The context's sources as they were when the run started. */
            sources: components["schemas"]["Source"][];
            startedAt: components["schemas"]["Timestamp"];
            /**
             * @description `cancelled`: the user stopped it; what was not sent is still `pending`.
             * @enum {string}
             */
            state: "running" | "done" | "failed" | "cancelled";
            targets: components["schemas"]["RunTarget"][];
            totals: components["schemas"]["RunTotals"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /**
         * @description `export`: send the sources' files to the targets, as their settings say;
         *     `publish-draft`: publish the complete draft an earlier export left at each target.
         * @default export
         * @enum {string}
         */
        RunAction: "export" | "publish-draft";
        RunFile: {
            bytesDone: components["schemas"]["Bytes"];
            checksum?: string;
            id: components["schemas"]["Id"];
            path: components["schemas"]["Path"];
            reason?: components["schemas"]["Reason"];
            size?: components["schemas"]["Bytes"];
            sourceId: components["schemas"]["Id"];
            state: components["schemas"]["TransferState"];
            targetId: components["schemas"]["Id"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /** @description A reason goes with state `failed`, and `failed` needs one. */
        RunFileChanges: {
            bytesDone?: components["schemas"]["Bytes"];
            /** @description As `algorithm:hex`. */
            checksum?: string;
            reason?: components["schemas"]["Reason"];
            size?: components["schemas"]["Bytes"];
            state?: components["schemas"]["TransferState"];
        };
        RunTarget: {
            note?: components["schemas"]["Note"];
            port: components["schemas"]["PortName"];
            reason?: components["schemas"]["Reason"];
            reported?: components["schemas"]["TargetReport"];
            /** @description As they were when the run started. */
            settings: components["schemas"]["TargetSettings"];
            state: components["schemas"]["TransferState"];
            targetId: components["schemas"]["Id"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /** @description A reason goes with state `failed`, and `failed` needs one. */
        RunTargetChanges: {
            note?: components["schemas"]["Note"];
            reason?: components["schemas"]["Reason"];
            /** @description Replaces what was reported earlier in this run. */
            reported?: components["schemas"]["TargetReport"];
            state?: components["schemas"]["TransferState"];
        };
        RunTotals: {
            /** @description The sizes known so far, summed. */
            bytes: components["schemas"]["Bytes"];
            /** @description Of files done, their size; of files under way, the bytes done so far. */
            bytesDone: components["schemas"]["Bytes"];
            /** @description Failed files and failed targets. */
            errors: number;
            /** @description Files registered, for every target. */
            files: number;
            filesDone: number;
            filesFailed: number;
        };
        Source: {
            createdAt: components["schemas"]["Timestamp"];
            id: components["schemas"]["Id"];
            port: components["schemas"]["PortName"];
            settings: components["schemas"]["SourceSettings"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /** @description What to take from the source port. */
        SourceSettings: {
            folder: components["schemas"]["Path"];
        } | {
            paths: components["schemas"]["Path"][];
        };
        /** @enum {string} */
        Status: "draft" | "ready" | "exporting" | "exported" | "failed";
        Target: {
            createdAt: components["schemas"]["Timestamp"];
            id: components["schemas"]["Id"];
            port: components["schemas"]["PortName"];
            /** @description What the target reported in the latest run that reported anything. */
            reported?: components["schemas"]["TargetReport"];
            settings: components["schemas"]["TargetSettings"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        /**
         * @description What the target reported back about the record. `recordId`, `recordUrl`, `doi` and
         *     `version` describe the latest version published; `draftId` and `draftUrl` a draft at
         *     the target not published yet (one left for its owner, or one an unfinished export is
         *     filling). The next export of the context makes a new version of `recordId`.
         */
        TargetReport: {
            doi?: string;
            /**
             * @description The draft holds every file of the export that left it (the `draft` mode, finished):
             *     it can be published as it is (the exporter's `publish-draft`).
             */
            draftComplete?: boolean;
            draftId?: components["schemas"]["RemoteId"];
            /** Format: uri */
            draftUrl?: string;
            recordId?: components["schemas"]["RemoteId"];
            /** Format: uri */
            recordUrl?: string;
            version?: string;
        };
        /** @description How to export to the target port. */
        TargetSettings: {
            /** @description An existing draft to fill. */
            draftId?: components["schemas"]["RemoteId"];
            /**
             * @description Where the target has no folders: `encode-paths` names each file after its whole
             *     path; `zip-folders` puts each top-level folder in one zip file.
             * @enum {string}
             */
            folders?: "encode-paths" | "zip-folders";
            /**
             * @description `draft`: leave a draft for the user to publish; `publish`: publish the record;
             *     `new-version`: publish a new version of the earlier record `recordId`. With `draft`
             *     and `publish`, a target that published a record for the context before (its
             *     `reported.recordId`) gets a new version of that record, unless `newRecord` is set.
             * @enum {string}
             */
            mode: "draft" | "publish" | "new-version";
            /**
             * @description A new record, unrelated to the one the target published for the context before,
             *     rather than a new version of it. Spent once a run publishes that record: the
             *     setting is removed, and later exports make new versions of the new record.
             * @default false
             */
            newRecord?: boolean;
            /** @description The record at the target: the earlier version for `new-version`. */
            recordId?: components["schemas"]["RemoteId"];
            /**
             * @description Files the target would refuse (empty ones where it takes none, names longer than it
             *     allows, files larger than it takes, files beyond its number per record): `refuse`
             *     the export before anything is sent, naming them; or `skip` them, and say which in
             *     the run's `note` for the target.
             * @default refuse
             * @enum {string}
             */
            unfitFiles?: "refuse" | "skip";
        };
        /** Format: date-time */
        Timestamp: string;
        /** @enum {string} */
        TransferState: "pending" | "transferring" | "done" | "failed";
    };
    responses: {
        /**
         * @description The context or run is not in a state that allows this (`research.transition.refused`,
         *     `research.context.deleted`, `research.context.notDeleted`, `research.context.exporting`,
         *     `research.context.incomplete`, `research.run.ended`).
         */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The `If-Match` is not the current `ETag`; read again, then retry (`request.preconditionFailed`). */
        PreconditionFailed: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The write carries no `If-Match` (`request.preconditionRequired`). */
        PreconditionRequired: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description What went wrong, as RFC 9457 problem details. */
        Problem: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        contextId: components["schemas"]["Id"];
        /** @description The `nextCursor` of the previous page; opaque. */
        cursor: string;
        /**
         * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
         *     428, one with a stale tag with 412, so that no change overwrites another unseen.
         */
        ifMatch: string;
        /** @description The most items on one page. */
        limit: number;
        runId: components["schemas"]["Id"];
        sourceId: components["schemas"]["Id"];
        targetId: components["schemas"]["Id"];
    };
    requestBodies: never;
    headers: {
        /** @description The context's new entity tag, for its next change. */
        ContextETag: string;
        /** @description The entity tag of the representation sent; send it back as `If-Match` to change it. */
        ETag: string;
        /** @description Where the new resource is read. */
        Location: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listContexts: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page; opaque. */
                cursor?: components["parameters"]["cursor"];
                /** @description Deleted contexts are left out unless asked for; `only` lists just them. */
                deleted?: "exclude" | "include" | "only";
                /** @description The most items on one page. */
                limit?: components["parameters"]["limit"];
                /** @description Only contexts in one of these states (repeat the parameter for several). */
                status?: components["schemas"]["Status"][];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of contexts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        contexts: components["schemas"]["Context"][];
                        nextCursor?: components["schemas"]["NextCursor"];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    createContext: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: components["schemas"]["Description"];
                    name: components["schemas"]["Name"];
                };
            };
        };
        responses: {
            /** @description Created. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Context"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getContext: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The context. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Context"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    deleteContext: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The deleted context; its `ETag` is the one to restore it with. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Context"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    updateContext: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    description?: components["schemas"]["Description"];
                    /**
                     * @description Replaces the context's metadata as a whole. Incomplete metadata is kept as it
                     *     is; what each target needs is checked before an export.
                     */
                    metadata?: components["schemas"]["ResearchMetadata"];
                    name?: components["schemas"]["Name"];
                };
            };
        };
        responses: {
            /** @description The changed context. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Context"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    restoreContext: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The restored context. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Context"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    listRuns: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page; opaque. */
                cursor?: components["parameters"]["cursor"];
                /** @description The most items on one page. */
                limit?: components["parameters"]["limit"];
            };
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of runs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        nextCursor?: components["schemas"]["NextCursor"];
                        runs: components["schemas"]["Run"][];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    startRun: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    action?: components["schemas"]["RunAction"];
                    /** @description The context's targets to export to; all of them when absent. */
                    targetIds?: components["schemas"]["Id"][];
                };
            };
        };
        responses: {
            /** @description The run, started. */
            201: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    Location: components["headers"]["Location"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    getRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The run. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    endRun: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * @description The user cancelled the run: it ends `cancelled` rather than `failed`
                     *     (unless every target is `done` already, which makes it `done`).
                     * @default false
                     */
                    cancelled?: boolean;
                    /** @description Why unfinished work stopped; recorded on it (on the run alone when cancelled). */
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description The ended run. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
            409: components["responses"]["Conflict"];
            default: components["responses"]["Problem"];
        };
    };
    listRunFiles: {
        parameters: {
            query?: {
                /** @description The `nextCursor` of the previous page; opaque. */
                cursor?: components["parameters"]["cursor"];
                /** @description The most items on one page. */
                limit?: components["parameters"]["limit"];
                /** @description Only files in one of these states (repeat the parameter for several). */
                state?: components["schemas"]["TransferState"][];
                /** @description Only the files going to this target. */
                targetId?: components["schemas"]["Id"];
            };
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of files. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        files: components["schemas"]["RunFile"][];
                        nextCursor?: components["schemas"]["NextCursor"];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    addRunFiles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    files: {
                        path: components["schemas"]["Path"];
                        size?: components["schemas"]["Bytes"];
                        sourceId: components["schemas"]["Id"];
                        targetId: components["schemas"]["Id"];
                    }[];
                };
            };
        };
        responses: {
            /** @description The files, in the order given. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        files: components["schemas"]["RunFile"][];
                    };
                };
            };
            409: components["responses"]["Conflict"];
            default: components["responses"]["Problem"];
        };
    };
    updateRunFile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                fileId: components["schemas"]["Id"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunFileChanges"];
            };
        };
        responses: {
            /** @description The file. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunFile"];
                };
            };
            409: components["responses"]["Conflict"];
            default: components["responses"]["Problem"];
        };
    };
    updateRunTarget: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
                targetId: components["parameters"]["targetId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RunTargetChanges"];
            };
        };
        responses: {
            /** @description The run's target. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RunTarget"];
                };
            };
            409: components["responses"]["Conflict"];
            default: components["responses"]["Problem"];
        };
    };
    addSource: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    port: components["schemas"]["PortName"];
                    settings: components["schemas"]["SourceSettings"];
                };
            };
        };
        responses: {
            /** @description The new source. */
            201: {
                headers: {
                    ETag: components["headers"]["ContextETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Source"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    removeSource: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
                sourceId: components["parameters"]["sourceId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    ETag: components["headers"]["ContextETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    updateSource: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
                sourceId: components["parameters"]["sourceId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    port?: components["schemas"]["PortName"];
                    settings?: components["schemas"]["SourceSettings"];
                };
            };
        };
        responses: {
            /** @description The changed source. */
            200: {
                headers: {
                    ETag: components["headers"]["ContextETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Source"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    changeStatus: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    status: components["schemas"]["Status"];
                };
            };
        };
        responses: {
            /** @description The context in its new state. */
            200: {
                headers: {
                    ETag: components["headers"]["ETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Context"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    addTarget: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    port: components["schemas"]["PortName"];
                    settings: components["schemas"]["TargetSettings"];
                };
            };
        };
        responses: {
            /** @description The new target. */
            201: {
                headers: {
                    ETag: components["headers"]["ContextETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Target"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    removeTarget: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
                targetId: components["parameters"]["targetId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    ETag: components["headers"]["ContextETag"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
    updateTarget: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description The context's current `ETag` (RFC 9110). Required: a write without it is refused with
                 *     428, one with a stale tag with 412, so that no change overwrites another unseen.
                 */
                "If-Match"?: components["parameters"]["ifMatch"];
            };
            path: {
                contextId: components["parameters"]["contextId"];
                targetId: components["parameters"]["targetId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    port?: components["schemas"]["PortName"];
                    settings?: components["schemas"]["TargetSettings"];
                };
            };
        };
        responses: {
            /** @description The changed target. */
            200: {
                headers: {
                    ETag: components["headers"]["ContextETag"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Target"];
                };
            };
            409: components["responses"]["Conflict"];
            412: components["responses"]["PreconditionFailed"];
            428: components["responses"]["PreconditionRequired"];
            default: components["responses"]["Problem"];
        };
    };
}
