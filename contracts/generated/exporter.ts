// Generated from contracts/services/exporter.yaml by contracts/generate.ts. Do not edit.

export interface paths {
    "/exports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export a context to all its targets; the run starts now, its work in the background
         * @description Starts a run in research-manager (the context must be `ready`, `failed` or `exported`;
         *     otherwise research-manager's 409 is passed on) and queues the job that carries it out.
         *
         *     `export` (the default) sends the sources' files to every target. A target whose record
         *     was published by an earlier export gets a new version of that record (its files made
         *     equal to the sources': unchanged files kept, changed ones replaced, removed ones
         *     deleted), unless its settings name another mode.
         *
         *     `publish-draft` publishes, as it is, the draft an earlier export left complete at each
         *     target (`reported.draftComplete` on the context's target, after the `draft` mode); no
         *     file is sent. Refused with 409 `export.noDraft` when no target has such a draft.
         */
        post: operations["startExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/{runId}": {
        parameters: {
            query: {
                /** @description The context the run belongs to. */
                contextId: components["parameters"]["contextId"];
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
    "/exports/{runId}/cancel": {
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
         * @description The files in flight finish; the run then ends `cancelled` (not `failed`): files not sent
         *     stay `pending`, and the context goes back to `ready` (or `exported`, if it was). A new
         *     export continues in the same draft. Safe to repeat; an export that already ended is
         *     answered 409.
         */
        post: operations["cancelExport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/exports/{runId}/events": {
        parameters: {
            query: {
                /** @description The context the run belongs to. */
                contextId: components["parameters"]["contextId"];
            };
            header?: never;
            path: {
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        /**
         * The progress of an export as server-sent events, until it ends
         * @description One `progress` event at once and another whenever the progress changes; the stream
         *     ends with an `end` event holding the final progress. Each event's `data` is a
         *     `Progress` as JSON.
         */
        get: operations["streamExport"];
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
        /** Format: uuid */
        Id: string;
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
            contextId: components["schemas"]["Id"];
            /**
             * @description The files being transferred now (those of 1 MiB or more; smaller ones pass too quickly
             *     to show), with the bytes done of each, updated about once a second.
             */
            currentFiles: {
                bytesDone: number;
                path: string;
                size?: number;
                targetId: components["schemas"]["Id"];
            }[];
            /** Format: date-time */
            endedAt?: string;
            /** @description Failed targets and files, with why. */
            errors: {
                /** @description Absent when the whole target failed. */
                path?: string;
                reason: components["schemas"]["Reason"];
                targetId: components["schemas"]["Id"];
            }[];
            files: {
                done: number;
                failed: number;
                /** @description Files known so far */
                total: number;
            };
            percent: number;
            reason?: components["schemas"]["Reason"];
            runId: components["schemas"]["Id"];
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
                reason?: components["schemas"]["Reason"];
                /** @description The record published */
                recordUrl?: string;
                /** @enum {string} */
                state: "pending" | "transferring" | "done" | "failed";
                targetId: components["schemas"]["Id"];
                /** @description The version published */
                version?: string;
            }[];
        };
        /** @description What went wrong, for people. */
        Reason: string;
        /**
         * @description `export`: send the sources' files to the targets, as their settings say;
         *     `publish-draft`: publish the complete draft an earlier export left at each target.
         * @default export
         * @enum {string}
         */
        RunAction: "export" | "publish-draft";
    };
    responses: {
        /**
         * @description The context cannot be exported now (`research.transition.refused`,
         *     `research.context.incomplete`, …), there is no complete draft to publish
         *     (`export.noDraft`), or the export already ended (`export.ended`).
         */
        Conflict: {
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
        /** @description The context the run belongs to. */
        contextId: components["schemas"]["Id"];
        runId: components["schemas"]["Id"];
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
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
            /** @description The run has started; follow it at `/exports/{runId}`. */
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
            409: components["responses"]["Conflict"];
            default: components["responses"]["Problem"];
        };
    };
    getExport: {
        parameters: {
            query: {
                /** @description The context the run belongs to. */
                contextId: components["parameters"]["contextId"];
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
            409: components["responses"]["Conflict"];
            default: components["responses"]["Problem"];
        };
    };
    streamExport: {
        parameters: {
            query: {
                /** @description The context the run belongs to. */
                contextId: components["parameters"]["contextId"];
            };
            header?: never;
            path: {
                runId: components["parameters"]["runId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream. */
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
}
