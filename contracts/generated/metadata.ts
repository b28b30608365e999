// Generated from contracts/services/metadata.yaml by contracts/generate.ts. Do not edit.

export interface paths {
    "/checks": {
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
         * @description Asks each target's port (`POST /metadata-check`, `GET /capabilities`, with the metadata's
         *     identifiers canonical) and names every field the target would refuse and every field it
         *     requires that is missing, and for every target what no target takes (an ORCID iD failing
         *     its check digit, a ROR id that is none, a language outside ISO 639-3, a licence outside
         *     the SPDX list or withdrawn from it, a name of only spaces, a description under 3
         *     characters). A target that cannot be asked gets a `problem` of its own; the others are
         *     still checked.
         */
        post: operations["checkMetadata"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ro-crate/from-crate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The metadata of an RO-Crate document */
        post: operations["fromCrate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ro-crate/read": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The metadata of the RO-Crate in a source folder
         * @description Downloads `<folder>/ro-crate-metadata.json` from the storage port `source` and maps what RDS
         *     understands of its Root Data Entity to `ResearchMetadata`. No crate there: `found` is false
         *     and the metadata empty.
         */
        post: operations["readCrate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ro-crate/to-crate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An RO-Crate document carrying the metadata
         * @description With `crate`: that crate with the fields RDS understands set from `metadata`, everything else
         *     kept, declared an RO-Crate 1.2. Without: a new RO-Crate 1.2 document.
         */
        post: operations["toCrate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ro-crate/write": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Write metadata back to the RO-Crate in a source folder
         * @description Reads the folder's crate (or starts a new one), sets the fields RDS understands from
         *     `metadata` (identifiers canonical, `publisher` as an Organization), keeps every other entity
         *     and property as it was, declares the crate an RO-Crate 1.2 (its context and the
         *     descriptor's `conformsTo`; other contexts and profiles stay) and uploads it to
         *     `<folder>/ro-crate-metadata.json`. A crate nested deeper than 64 levels is 422
         *     `rocrate.invalid`. A crate RDS cannot read is never overwritten (422
         *     `rocrate.invalid`); what the port refuses, such as a folder that does not exist, is a
         *     `source.refused` problem with the port's status and its messageKey as `args.reason`.
         */
        post: operations["writeCrate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The canonical metadata model (`ResearchMetadata`) as a self-contained JSON Schema
         * @description JSON Schema 2020-12, taken from the contracts: every field with a title (and a description
         *     where the model has one), `Creator` under `$defs`. A UI builds its form from it.
         */
        get: operations["getSchema"];
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
        /** @description The folder of the crate, absolute within the user's storage, e.g. `/data`. */
        Folder: string;
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
        /** @description An RO-Crate metadata document (flattened JSON-LD). */
        RoCrate: {
            /** @description The JSON-LD context, e.g. `https://w3id.org/ro/crate/1.2/context`. */
            "@context": unknown;
            "@graph": {
                "@id": string;
            }[];
        };
        /**
         * @description A ROR id of an organisation, as its URL (`https://ror.org/05gq02987`) or bare; kept bare
         *     (`05gq02987`).
         * @example 05gq02987
         */
        Ror: string;
        ServiceName: string;
        /** @description The storage port (fileStorage) holding the folder. */
        Source: components["schemas"]["ServiceName"];
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
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
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
                    /** @description Service names of repository ports. */
                    targets: components["schemas"]["ServiceName"][];
                };
            };
        };
        responses: {
            /** @description One result per target, in the order asked. */
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
    fromCrate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    crate: components["schemas"]["RoCrate"];
                };
            };
        };
        responses: {
            /** @description The metadata. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        metadata: components["schemas"]["ResearchMetadata"];
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
                    source: components["schemas"]["Source"];
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
                        /** @description Whether the folder holds a crate. */
                        found: boolean;
                        metadata: components["schemas"]["ResearchMetadata"];
                        /**
                         * @description The fields of `ResearchMetadata` the crate says something of that RDS
                         *     could not take (a title over 500 characters, say); they are left out.
                         */
                        notTaken: string[];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    toCrate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    crate?: components["schemas"]["RoCrate"];
                    metadata: components["schemas"]["ResearchMetadata"];
                };
            };
        };
        responses: {
            /** @description The crate. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        crate: components["schemas"]["RoCrate"];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    writeCrate: {
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
                    metadata: components["schemas"]["ResearchMetadata"];
                    source: components["schemas"]["Source"];
                };
            };
        };
        responses: {
            /** @description Written. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description Whether the folder had no crate before. */
                        created: boolean;
                        /** @description The metadata as the written crate now says it. */
                        metadata: components["schemas"]["ResearchMetadata"];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getSchema: {
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
}
