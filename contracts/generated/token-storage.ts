// Generated from contracts/services/token-storage.yaml by contracts/generate.ts. Do not edit.

export interface paths {
    "/connections": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The acting user's connections and their state, without secrets */
        get: operations["listConnections"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connections/{servicename}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        /** The acting user's connection to one service, without secrets */
        get: operations["getConnection"];
        /** Store a token or credentials for the acting user, replacing any earlier one */
        put: operations["storeConnection"];
        post?: never;
        /** Disconnect; revokes the token at the provider where the service offers revocation */
        delete: operations["revokeConnection"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connections/{servicename}/authorization-code": {
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
        /** Exchange an OAuth2 authorization code at the service's token endpoint and store the token */
        post: operations["exchangeAuthorizationCode"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connections/{servicename}/token": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        /**
         * The acting user's current token for the calling port's own service
         * @description Only the service itself may read its tokens. An OAuth2 access token that expires within
         *     the refresh margin is refreshed first, once across all replicas. A refused refresh marks
         *     the connection as needing reconnection (409).
         */
        get: operations["getToken"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/connections/{servicename}/token/refresh": {
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
         * A fresh token after the service refused the one given (one retry after a 401)
         * @description Refreshes only if the rejected access token is still the current one, so that several
         *     callers rejected at once cause a single refresh.
         */
        post: operations["refreshToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/service": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every registered service of the caller's tenant, without secrets */
        get: operations["listServices"];
        put?: never;
        /**
         * Register a port, or update its registration
         * @description Accepts the registration body of the original RDS (flat, or wrapped as `{type, data}`),
         *     so a connector written from the seed's snippet registers unchanged. A repeated
         *     registration updates the stored record: new URLs and secrets take effect at once.
         *     With a service token, the caller must be the service it registers, or `operator`.
         *     Without one, accepted only when `RDS_ALLOW_ANONYMOUS_REGISTRATION` is `true`, in the
         *     default tenant only, and only as a first registration of the name, the same
         *     registration again (answered as before, nothing changes), or a change that carries
         *     the registered client secret; anything else is 403 `registration.changeRefused`, which
         *     says how to rotate a secret: register with a service token of the service.
         */
        post: operations["registerService"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/service/{servicename}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                servicename: components["parameters"]["servicename"];
            };
            cookie?: never;
        };
        /** One registered service, without secrets */
        get: operations["getService"];
        put?: never;
        post?: never;
        /**
         * Remove a service and every connection to it
         * @description The caller must be the service itself, or `operator`.
         */
        delete: operations["deleteService"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A user's connection to a service, as the user may see it; never with a secret. */
        Connection: {
            /** Format: date-time */
            connectedAt: string;
            /** Format: date-time */
            expiresAt?: string;
            /** @enum {string} */
            kind: "oauth2" | "credentials";
            scope?: string;
            servicename: string;
            /**
             * @description `needs-reconnection`: the service refused to refresh the token; the user must connect again.
             * @enum {string}
             */
            state: "connected" | "needs-reconnection";
            /** Format: date-time */
            updatedAt: string;
            /** @description The user id at the service */
            userId?: string;
        };
        /** @description A user id and password, app password or API token. */
        CredentialsGrant: {
            /** @constant */
            kind: "credentials";
            password: string;
            userId?: string;
        };
        /**
         * Format: uri
         * @description An `http` or `https` URL; no other scheme (`javascript:`, `data:`) is taken.
         */
        HttpUrl: string;
        /** @description An OAuth2 token obtained elsewhere, e.g. a personal access token with its expiry. */
        OAuth2Grant: {
            access_token: string;
            /** @description Seconds from now. */
            expires_in?: number;
            /** @constant */
            kind: "oauth2";
            refresh_token?: string;
            scope?: string;
        };
        /** @description Text shown to people as it is; no markup (`<` and `>` are refused). */
        PlainText: string;
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
        /** @description The registration body of the original RDS, with a few additions (`scope`, `revocation_url`, `token_endpoint_auth_method`). */
        Registration: {
            authorize_url?: components["schemas"]["HttpUrl"];
            client_id?: string;
            client_secret?: string;
            /** @description For services reached with a user id and password or API token instead of OAuth2. */
            credentials?: {
                password: boolean;
                userId: boolean;
            };
            description?: components["schemas"]["PlainText"] | {
                [key: string]: components["schemas"]["PlainText"];
            };
            displayName?: components["schemas"]["PlainText"];
            /** @enum {integer} */
            fileTransferArchive?: 0 | 1;
            /** @enum {integer} */
            fileTransferMode?: 0 | 1;
            helpUrl?: components["schemas"]["HttpUrl"];
            icon?: string;
            /** @description The interfaces the port serves. `metadata` is the original RDS's name for `repository`, which the seed's registration snippet still sends: it is taken, and kept and answered as `repository`. */
            implements: ("fileStorage" | "repository" | "metadata")[];
            infoUrl?: components["schemas"]["HttpUrl"];
            metadataProfile?: string;
            /** @description A link to a project at the service, with placeholders (not a URL yet). */
            projectLinkTemplate?: string;
            /** @description The token endpoint: code exchange and refresh. */
            refresh_url?: components["schemas"]["HttpUrl"];
            /** @description RFC 7009 token revocation, if the service offers it. */
            revocation_url?: components["schemas"]["HttpUrl"];
            scope?: string;
            servicename: components["schemas"]["ServiceName"];
            /**
             * @default client_secret_post
             * @enum {string}
             */
            token_endpoint_auth_method?: "client_secret_post" | "client_secret_basic";
        } & (unknown | unknown);
        /** @description A registered service as anyone may see it; never with its client secret. */
        Service: {
            authorizeUrl?: string;
            /** @enum {string} */
            authType: "oauth2" | "credentials";
            clientId?: string;
            credentials?: {
                password: boolean;
                userId: boolean;
            };
            description?: string | {
                [key: string]: string;
            };
            displayName?: string;
            fileTransferArchive?: number;
            fileTransferMode?: number;
            helpUrl?: string;
            icon?: string;
            implements: ("fileStorage" | "repository")[];
            infoUrl?: string;
            metadataProfile?: string;
            projectLinkTemplate?: string;
            /** Format: date-time */
            registeredAt: string;
            revocable?: boolean;
            scope?: string;
            servicename: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description Unique per tenant; stored lower-cased (`port-zenodo`, `webdav`). */
        ServiceName: string;
        /** @description What the port needs to call its service for the user. */
        Token: {
            access_token?: string;
            /** Format: date-time */
            expiresAt?: string;
            /** @enum {string} */
            kind: "oauth2" | "credentials";
            password?: string;
            scope?: string;
            servicename: string;
            token_type?: string;
            userId?: string;
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
        servicename: components["schemas"]["ServiceName"];
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listConnections: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The user's connections. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        connections: components["schemas"]["Connection"][];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getConnection: {
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
            /** @description The connection. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    storeConnection: {
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
                "application/json": components["schemas"]["OAuth2Grant"] | components["schemas"]["CredentialsGrant"];
            };
        };
        responses: {
            /** @description Stored. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    revokeConnection: {
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
    exchangeAuthorizationCode: {
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
                    code: string;
                    /** @description The PKCE verifier. */
                    code_verifier?: string;
                    /** Format: uri */
                    redirect_uri: string;
                    /** @description The id of the authorization's `state`; each is accepted once, so a replayed callback stores nothing. */
                    state_id?: string;
                };
            };
        };
        responses: {
            /** @description The code was exchanged; the user is connected. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Connection"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getToken: {
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
            /** @description The token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    refreshToken: {
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
                    rejected_access_token: string;
                };
            };
        };
        responses: {
            /** @description The current token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Token"];
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
            /** @description The services, by name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        services: components["schemas"]["Service"][];
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    registerService: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": unknown;
            };
        };
        responses: {
            /** @description Registered (first time or again). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @constant */
                        success: true;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    getService: {
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
            /** @description The service. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Service"];
                };
            };
            default: components["responses"]["Problem"];
        };
    };
    deleteService: {
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
            /** @description Removed; says how many connections went with it. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        connectionsRemoved: number;
                        servicename: string;
                    };
                };
            };
            default: components["responses"]["Problem"];
        };
    };
}
