// Generated from contracts/services/web.yaml by contracts/generate.ts. Do not edit.

export interface paths {
    "/api/contexts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The user's research contexts, newest first, a page at a time */
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
    "/api/contexts/{contextId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        /** A context with its sources and targets */
        get: operations["getContext"];
        put?: never;
        post?: never;
        /** Delete a context, restorably */
        delete: operations["deleteContext"];
        options?: never;
        head?: never;
        /** Rename a context, change its description or replace its metadata */
        patch: operations["updateContext"];
        trace?: never;
    };
    "/api/contexts/{contextId}/restore": {
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
        /** Bring a deleted context back */
        post: operations["restoreContext"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contexts/{contextId}/runs": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        /** The history of a context's exports, newest first */
        get: operations["listRuns"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contexts/{contextId}/runs/{runId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        /** One export run with its targets and totals */
        get: operations["getRun"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contexts/{contextId}/runs/{runId}/files": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        /** The files of a run with their state and why any failed */
        get: operations["listRunFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contexts/{contextId}/sources": {
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
        /** Add a source (a folder or files of a storage service) */
        post: operations["addSource"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contexts/{contextId}/sources/{sourceId}": {
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
        /** Remove a source */
        delete: operations["removeSource"];
        options?: never;
        head?: never;
        /** Change a source */
        patch: operations["updateSource"];
        trace?: never;
    };
    "/api/contexts/{contextId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                contextId: components["parameters"]["contextId"];
            };
            cookie?: never;
        };
        get?: never;
        /** Mark a context ready to export, or back to draft */
        put: operations["changeStatus"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contexts/{contextId}/targets": {
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
        /** Add a target (a repository, with its publication mode and folder handling) */
        post: operations["addTarget"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/contexts/{contextId}/targets/{targetId}": {
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
        /** Remove a target */
        delete: operations["removeTarget"];
        options?: never;
        head?: never;
        /** Change a target */
        patch: operations["updateTarget"];
        trace?: never;
    };
    "/api/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export a context to all its targets, or publish the draft an export left
         * @description Passed on to the exporter's `startExport`, whose description says what each action does.
         */
        post: operations["startExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/exports/{runId}": {
        parameters: {
            query: {
                /** @description The context the run belongs to. */
                contextId: components["parameters"]["parameters-contextId"];
            };
            header?: never;
            path: {
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        /** Where an export stands now */
        get: operations["getExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/exports/{runId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Stop an export at the next file boundary; the run ends as cancelled
         * @description The files in flight finish; the run then ends `cancelled`, with the files not sent left
         *     `pending` (not failed), and the context can be exported again (into the same draft).
         */
        post: operations["cancelExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/exports/{runId}/events": {
        parameters: {
            query: {
                /** @description The context the run belongs to. */
                contextId: components["parameters"]["parameters-contextId"];
            };
            header?: never;
            path: {
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        /** The progress of an export as server-sent events (`progress`, then `end`) */
        get: operations["streamExport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/metadata/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Whether each target repository would take the metadata
         * @description Reads nothing and changes nothing, so it needs no CSRF token.
         */
        post: operations["checkMetadata"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/metadata/ro-crate/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The metadata of the RO-Crate in a source folder, to import into the form */
        post: operations["readCrate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/metadata/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The metadata model as JSON Schema, for the form */
        get: operations["getMetadataSchema"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every service the user can connect, and whether it is connected */
        get: operations["listServices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/services/{servicename}/authorizations": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Where to send the browser to connect an OAuth2 service */
        post: operations["startAuthorization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/services/{servicename}/connection": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Disconnect a service */
        delete: operations["disconnect"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/services/{servicename}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        get?: never;
        /** Connect with a user id and password, app password or API token */
        put: operations["connectWithCredentials"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who is signed in, and the CSRF token for changes */
        get: operations["getSession"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/storage/{servicename}/folder": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        /** One page of a folder of a storage service the user is connected to */
        get: operations["listFolder"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the identity provider sends the browser back; the session starts here */
        get: operations["loginCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Start signing in; the browser is sent to the identity provider
         * @description Without an identity provider (the embedded default), signs the local user in at once.
         */
        get: operations["login"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * End the session, or every session of the user
         * @description The session ends at once: its cookie is cleared, and the same cookie sent again (a copy
         *     kept elsewhere, say) is no session any more. With `everywhere=true`, every session of
         *     the user ends, in every browser.
         */
        post: operations["logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connect/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Where a service's OAuth2 provider sends the browser back after connecting
         * @description Hands the answer to port-service, then sends the browser to the services screen.
         */
        get: operations["connectCallback"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Bytes: number;
        CatalogueEntry: {
            connect: {
                /**
                 * @description `none`: nothing to enter; the service is ready to use.
                 * @enum {string}
                 */
                method: "oauth2" | "credentials" | "none";
                /** @description For credentials: whether a password or token is asked for. */
                password?: boolean;
                /** @description For credentials: whether a user id is asked for. */
                userId?: boolean;
            };
            connection: components["schemas"]["ConnectionState"];
            description?: string;
            displayName: string;
            helpUrl?: string;
            icon?: string;
            implements: ("fileStorage" | "repository")[];
            infoUrl?: string;
            servicename: string;
        };
        CheckResult: {
            errors: {
                detail: string;
                /** @description JSON Pointer into the metadata, e.g. `/creators/0/orcid`. */
                field: string;
            }[];
            /**
             * @description Whether the target keeps folders (its capabilities); where it does not, the target's
             *     `folders` setting says how files in folders are sent. Absent when it could not be asked.
             */
            folders?: boolean;
            /** @description Present when the target could not be asked; `errors` is empty then. */
            problem?: {
                detail: string;
                /** @enum {string} */
                messageKey: "target.unknown" | "target.unreachable" | "target.failed";
            };
            target: string;
            /** @description True when the target takes the metadata as it is; false too when it could not be asked. */
            valid: boolean;
        };
        ConnectionState: {
            /** Format: date-time */
            connectedAt?: string;
            /** Format: date-time */
            expiresAt?: string;
            servicename: string;
            /** @enum {string} */
            state: "connected" | "needs-reconnection" | "not-connected";
            userId?: string;
        };
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
        Entry: {
            /** @description When the storage keeps one, as `algorithm:hex`. */
            checksum?: string;
            etag?: string;
            /** Format: date-time */
            modified?: string;
            /** @description The last segment of the path; empty for the root. */
            name: string;
            path: components["schemas"]["schemas-Path"];
            /** @description Bytes; files only. */
            size?: number;
            /** @enum {string} */
            type: "file" | "folder";
        };
        /** @description The folder of the crate, absolute within the user's storage, e.g. `/data`. */
        Folder: string;
        /**
         * Format: uuid
         * @description Stable and opaque.
         */
        Id: string;
        Name: string;
        NewSource: {
            port: components["schemas"]["PortName"];
            settings: components["schemas"]["SourceSettings"];
        };
        NewTarget: {
            port: components["schemas"]["PortName"];
            settings: components["schemas"]["TargetSettings"];
        };
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
        Progress: {
            action?: components["schemas"]["RunAction"];
            /**
             * @description The sizes of the files known so far, and the bytes done: files done count whole,
             *     and a file under way (1 MiB or more) counts what has been read of it, updated about
             *     once a second.
             */
            bytes: {
                done: number;
                total: number;
            };
            /** @description Bytes done per second since the run started. */
            bytesPerSecond: number;
            contextId: components["schemas"]["schemas-Id"];
            /**
             * @description The files being transferred now (those of 1 MiB or more; smaller ones pass too quickly
             *     to show), with the bytes done of each, updated about once a second.
             */
            currentFiles: {
                bytesDone: number;
                path: string;
                size?: number;
                targetId: components["schemas"]["schemas-Id"];
            }[];
            /** Format: date-time */
            endedAt?: string;
            /** @description Failed targets and files, with why. */
            errors: {
                /** @description Absent when the whole target failed. */
                path?: string;
                reason: components["schemas"]["schemas-Reason"];
                targetId: components["schemas"]["schemas-Id"];
            }[];
            files: {
                done: number;
                failed: number;
                /** @description Files known so far */
                total: number;
            };
            percent: number;
            reason?: components["schemas"]["schemas-Reason"];
            runId: components["schemas"]["schemas-Id"];
            /** Format: date-time */
            startedAt: string;
            /**
             * @description `cancelled`: the user stopped it; the files not sent are not counted as failed.
             * @enum {string}
             */
            state: "running" | "done" | "failed" | "cancelled";
            targets?: {
                /** @description The DOI of the version published. */
                doi?: string;
                /** @description The draft left at the target */
                draftUrl?: string;
                /** @description What was left out, and why: files the target would refuse, skipped as its settings say. */
                note?: string;
                port: string;
                reason?: components["schemas"]["schemas-Reason"];
                /** @description The record published */
                recordUrl?: string;
                /** @enum {string} */
                state: "pending" | "transferring" | "done" | "failed";
                targetId: components["schemas"]["schemas-Id"];
                /** @description The version published */
                version?: string;
            }[];
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
        /** Format: uuid */
        "schemas-Id": string;
        "schemas-Path": string;
        /** @description What went wrong, for people. */
        "schemas-Reason": string;
        /** @description The storage port (fileStorage) holding the folder. */
        "schemas-Source": components["schemas"]["ServiceName"];
        ServiceName: string;
        Session: {
            csrfToken: string;
            /**
             * @description `local`: the embedded default's one local user.
             * @enum {string}
             */
            signIn: "oidc" | "local";
            tenant: string;
            user: {
                id: string;
                /** @description For display. */
                name: string;
            };
        };
        Source: {
            createdAt: components["schemas"]["Timestamp"];
            id: components["schemas"]["Id"];
            port: components["schemas"]["PortName"];
            settings: components["schemas"]["SourceSettings"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        SourceChanges: {
            port?: components["schemas"]["PortName"];
            settings?: components["schemas"]["SourceSettings"];
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
        TargetChanges: {
            port?: components["schemas"]["PortName"];
            settings?: components["schemas"]["TargetSettings"];
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
        /** @description The context. */
        Context: {
            headers: {
                ETag: components["headers"]["ETag"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Context"];
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
        /** @description Removed. */
        Removed: {
            headers: {
                ETag: components["headers"]["ETag"];
                [name: string]: unknown;
            };
            content?: never;
        };
        /** @description The source. */
        Source: {
            headers: {
                ETag: components["headers"]["ETag"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Source"];
            };
        };
        /** @description The target. */
        Target: {
            headers: {
                ETag: components["headers"]["ETag"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Target"];
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
        /** @description The context the run belongs to. */
        "parameters-contextId": components["schemas"]["schemas-Id"];
        runId: components["schemas"]["Id"];
        servicename: components["schemas"]["ServiceName"];
        sourceId: components["schemas"]["Id"];
        targetId: components["schemas"]["Id"];
    };
    requestBodies: never;
    headers: {
        /** @description The context's entity tag; send it back as `If-Match` to change the context. */
        ETag: string;
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
                deleted?: "exclude" | "include" | "only";
                /** @description The most items on one page. */
                limit?: components["parameters"]["limit"];
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
                        nextCursor?: string;
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
            201: components["responses"]["Context"];
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
            200: components["responses"]["Context"];
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
            200: components["responses"]["Context"];
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
                    metadata?: components["schemas"]["ResearchMetadata"];
                    name?: components["schemas"]["Name"];
                };
            };
        };
        responses: {
            200: components["responses"]["Context"];
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
            200: components["responses"]["Context"];
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
                        nextCursor?: string;
                        runs: components["schemas"]["Run"][];
                    };
                };
            };
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
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Run"];
                };
            };
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
                        nextCursor?: string;
                    };
                };
            };
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
                "application/json": components["schemas"]["NewSource"];
            };
        };
        responses: {
            201: components["responses"]["Source"];
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
            204: components["responses"]["Removed"];
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
                "application/json": components["schemas"]["SourceChanges"];
            };
        };
        responses: {
            200: components["responses"]["Source"];
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
                    /** @enum {string} */
                    status: "draft" | "ready";
                };
            };
        };
        responses: {
            200: components["responses"]["Context"];
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
                "application/json": components["schemas"]["NewTarget"];
            };
        };
        responses: {
            201: components["responses"]["Target"];
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
            204: components["responses"]["Removed"];
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
                "application/json": components["schemas"]["TargetChanges"];
            };
        };
        responses: {
            200: components["responses"]["Target"];
            default: components["responses"]["Problem"];
        };
    };
    startExport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    action?: components["schemas"]["RunAction"];
                    contextId: components["schemas"]["Id"];
                };
            };
        };
        responses: {
            /** @description The run has started. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: components["schemas"]["Id"];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getExport: {
        parameters: {
            query: {
                /** @description The context the run belongs to. */
                contextId: components["parameters"]["parameters-contextId"];
            };
            header?: never;
            path: {
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The progress. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Progress"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    cancelExport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export stops at the next file boundary. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        runId: components["schemas"]["Id"];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    streamExport: {
        parameters: {
            query: {
                /** @description The context the run belongs to. */
                contextId: components["parameters"]["parameters-contextId"];
            };
            header?: never;
            path: {
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream, as the exporter sends it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    checkMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    metadata: components["schemas"]["ResearchMetadata"];
                    targets: components["schemas"]["ServiceName"][];
                };
            };
        };
        responses: {
            /** @description One result per target. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        results: components["schemas"]["CheckResult"][];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    readCrate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    folder: components["schemas"]["Folder"];
                    source: components["schemas"]["schemas-Source"];
                };
            };
        };
        responses: {
            /** @description The metadata found. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        found: boolean;
                        metadata: components["schemas"]["ResearchMetadata"];
                        /** @description Fields the crate says something of that RDS could not take. */
                        notTaken: string[];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getMetadataSchema: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The schema. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/schema+json": Record<string, unknown>;
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    listServices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalogue. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        services: components["schemas"]["CatalogueEntry"][];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    startAuthorization: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The provider's authorization URL; it comes back to `/connect/callback`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        authorizeUrl: string;
                        /** Format: date-time */
                        expiresAt: string;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    disconnect: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Disconnected. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
    connectWithCredentials: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    password: string;
                    userId?: string;
                };
            };
        };
        responses: {
            /** @description Connected. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConnectionState"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Session"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    listFolder: {
        parameters: {
            query: {
                cursor?: string;
                path: components["schemas"]["Path"];
            };
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of entries, folders first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["Entry"][];
                        nextCursor?: string;
                        path: string;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    loginCallback: {
        parameters: {
            query?: {
                code?: string;
                error?: string;
                error_description?: string;
                iss?: string;
                session_state?: string;
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed in; back to the UI. */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
    login: {
        parameters: {
            query?: {
                /** @description Passed on to the identity provider (OpenID Connect `login_hint`). */
                login_hint?: string;
                /** @description Where in the UI to land afterwards (a path of this site). */
                returnTo?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description To the identity provider, or back to the UI signed in. */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
    logout: {
        parameters: {
            query?: {
                /** @description Sign out everywhere, not only in this browser. */
                everywhere?: boolean;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Where to send the browser to sign out at the identity provider too. */
                        logoutUrl?: string;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    connectCallback: {
        parameters: {
            query: {
                code?: string;
                error?: string;
                error_description?: string;
                state: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Back to the services screen, saying how it went. */
            302: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
}
