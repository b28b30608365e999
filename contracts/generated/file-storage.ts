// Generated from contracts/interfaces/file-storage.yaml by contracts/generate.ts. Do not edit.

export interface paths {
    "/entry": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What is at a path */
        get: operations["statEntry"];
        put?: never;
        post?: never;
        /** Delete a file, or a folder with everything in it */
        delete: operations["deleteEntry"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/file": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A file's content as a stream; `Range` gives a part of it (206) */
        get: operations["downloadFile"];
        /**
         * Write a file from the request stream, replacing any file at the path
         * @description The folder above must exist. The file appears whole or not at all.
         */
        put: operations["uploadFile"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/folder": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The entries of a folder, folders first, then by name; paginated */
        get: operations["listFolder"];
        put?: never;
        /** Create a folder, and any missing folders above it */
        post: operations["createFolder"];
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
        Entry: {
            /** @description When the storage keeps one, as `algorithm:hex`. */
            checksum?: string;
            etag?: string;
            /** Format: date-time */
            modified?: string;
            /** @description The last segment of the path; empty for the root. */
            name: string;
            path: components["schemas"]["Path"];
            /** @description Bytes; files only. */
            size?: number;
            /** @enum {string} */
            type: "file" | "folder";
        };
        Path: string;
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
        /** @description Absolute path within the user's storage. */
        path: components["schemas"]["Path"];
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    statEntry: {
        parameters: {
            query: {
                /** @description Absolute path within the user's storage. */
                path: components["parameters"]["path"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entry. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entry"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    deleteEntry: {
        parameters: {
            query: {
                /** @description Absolute path within the user's storage. */
                path: components["parameters"]["path"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            default: components["responses"]["Problem"];
        };
    };
    downloadFile: {
        parameters: {
            query: {
                /** @description Absolute path within the user's storage. */
                path: components["parameters"]["path"];
            };
            header?: {
                /** @description One byte range, e.g. `bytes=0-1023` or `bytes=1024-`. */
                range?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The whole file. */
            200: {
                headers: {
                    "accept-ranges"?: "bytes";
                    "content-length"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description The requested range. */
            206: {
                headers: {
                    "content-range"?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/octet-stream": string;
                };
            };
            /** @description The range lies outside the file. */
            416: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    uploadFile: {
        parameters: {
            query: {
                /** @description Absolute path within the user's storage. */
                path: components["parameters"]["path"];
            };
            header: {
                "content-length": number;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/octet-stream": string;
            };
        };
        responses: {
            /** @description Written. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entry"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    listFolder: {
        parameters: {
            query: {
                /** @description The `nextCursor` of the previous page. */
                cursor?: string;
                limit?: number;
                /** @description Absolute path within the user's storage. */
                path: components["parameters"]["path"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        entries: components["schemas"]["Entry"][];
                        /** @description Present while there are more entries. */
                        nextCursor?: string;
                        path: string;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    createFolder: {
        parameters: {
            query: {
                /** @description Absolute path within the user's storage. */
                path: components["parameters"]["path"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The folder (also when it existed). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Entry"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
}
