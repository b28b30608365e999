// Generated from contracts/services/port-service.yaml by contracts/generate.ts. Do not edit.

export interface paths {
    "/authorizations/callback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Finish the flow with what the provider sent back to the browser
         * @description With a `code`: token-storage exchanges it and stores the token. With an `error` (the user
         *     declined): nothing is stored. A replayed, expired or foreign `state` stores nothing.
         */
        post: operations["completeAuthorization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every service the user can connect, and whether and how they are connected */
        get: operations["listCatalogue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/{servicename}/authorizations": {
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
        /**
         * Where to send the user's browser to connect an OAuth2 service
         * @description The `state` in the URL is sealed (encrypted and authenticated), names the user, the
         *     tenant, the service and the browser session, carries the PKCE verifier, lives ten
         *     minutes, and is accepted once.
         */
        post: operations["startAuthorization"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/{servicename}/connection": {
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
        /** Disconnect; the token is revoked at the provider where it offers revocation */
        delete: operations["disconnect"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/services/{servicename}/credentials": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        get?: never;
        /** Connect a service reached with a user id and password, app password or API token */
        put: operations["connectWithCredentials"];
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
        servicename: string;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    completeAuthorization: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    code?: string;
                    error?: string;
                    error_description?: string;
                    session: string;
                    state: string;
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
    listCatalogue: {
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
        requestBody: {
            content: {
                "application/json": {
                    /**
                     * Format: uri
                     * @description Where the provider sends the browser back.
                     */
                    redirectUri: string;
                    /** @description An id of the browser session (a hash of it will do); the callback must come from the same. */
                    session: string;
                };
            };
        };
        responses: {
            /** @description The provider's authorization URL. */
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
}
