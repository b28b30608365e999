// Generated from contracts/interfaces/repository.yaml by contracts/generate.ts. Do not edit.

export interface paths {
    "/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What this target can take and needs */
        get: operations["getCapabilities"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metadata-check": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Every field the target would refuse, before anything is created */
        post: operations["checkMetadata"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/records": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a draft record with metadata */
        post: operations["createDraft"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/records/{recordId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        /** A record's state, links, DOI and version */
        get: operations["getRecord"];
        put?: never;
        post?: never;
        /** Discard a draft (a published record cannot be discarded) */
        delete: operations["discardDraft"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/records/{recordId}/file": {
        parameters: {
            query: {
                /** @description The file's name in the record; with `/` only where the target has folders. */
                key: string;
            };
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        get?: never;
        /**
         * Stream a file into a draft, replacing one of the same key
         * @description The content is streamed to the target, never held whole. The port hashes the bytes it
         *     receives and checks the target's checksum against them; a mismatch removes the file and
         *     answers 502. The 201 answer carries that checksum, in the algorithm of the port's
         *     capabilities, and the size: callers rely on it rather than hash the bytes again.
         */
        put: operations["uploadFile"];
        post?: never;
        /** Remove a file from a draft */
        delete: operations["deleteFile"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/records/{recordId}/files": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        /** The files of a record, complete or not */
        get: operations["listFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/records/{recordId}/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        get?: never;
        /** Replace a draft's metadata */
        put: operations["updateMetadata"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/records/{recordId}/publish": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish a draft; safe to repeat (a published record is answered as it is) */
        post: operations["publishRecord"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/records/{recordId}/versions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A new draft version of a published record, with the earlier version's files
         * @description An existing draft of a new version is reused, not duplicated.
         */
        post: operations["newVersion"];
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
        Capabilities: {
            /**
             * @description The checksum the target reports for files.
             * @enum {string}
             */
            checksum: "md5" | "sha256";
            /** @description Whether the target takes files of 0 bytes (Zenodo does not). Absent means it does. */
            emptyFiles?: boolean;
            /** @description Whether file keys may hold `/`. */
            folders: boolean;
            /** @description Most files one record may hold. */
            maxFiles?: number;
            /** @description Bytes. */
            maxFileSize?: number;
            /** @description Longest file key the target takes, in characters (Unicode code points). */
            maxKeyLength?: number;
            /** @description Bytes */
            maxRecordSize?: number;
            publicationModes: ("draft" | "publish" | "new-version")[];
            /** @description Fields of the metadata the target needs, as JSON Pointers. */
            requiredMetadata: string[];
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
        Record: {
            /** Format: date-time */
            createdAt?: string;
            doi?: string;
            id: string;
            links?: {
                doi?: string;
                /** @description Where people see the record. */
                html?: string;
                latest?: string;
            };
            /** @description The id shared by every version of the record. */
            parentId?: string;
            /** Format: date-time */
            publishedAt?: string;
            /** @enum {string} */
            state: "draft" | "published";
            title?: string;
            /** Format: date-time */
            updatedAt?: string;
            version?: string;
        };
        RecordFile: {
            checksum?: string;
            key: string;
            size?: number;
            /** @enum {string} */
            status: "pending" | "completed";
        };
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
    };
    responses: {
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
        recordId: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getCapabilities: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The target's limits and needs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Capabilities"];
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
                "application/json": components["schemas"]["ResearchMetadata"];
            };
        };
        responses: {
            /** @description The findings; empty when the metadata is fine for this target. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        errors: {
                            detail: string;
                            /** @description JSON Pointer into the metadata, e.g. `/creators/0/name`. */
                            field: string;
                        }[];
                        valid: boolean;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    createDraft: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResearchMetadata"];
            };
        };
        responses: {
            /** @description The new draft. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    discardDraft: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Discarded. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
    uploadFile: {
        parameters: {
            query: {
                /** @description The file's name in the record; with `/` only where the target has folders. */
                key: string;
            };
            header: {
                "content-length": number;
            };
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description The file, complete. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RecordFile"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    deleteFile: {
        parameters: {
            query: {
                /** @description The file's name in the record; with `/` only where the target has folders. */
                key: string;
            };
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
    listFiles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The files. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        files: components["schemas"]["RecordFile"][];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    updateMetadata: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ResearchMetadata"];
            };
        };
        responses: {
            /** @description The draft. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    publishRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The published record. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    newVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                recordId: components["parameters"]["recordId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The draft of the new version. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
}
