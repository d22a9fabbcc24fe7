package io.vigil.context.assets;

import java.util.Map;

/** The fields the assets part writes (names of Vigil's catalog, {@code extra-fields.txt}), and how. */
public final class AssetFields {

    public static final String HOST_CRITICALITY = "host.asset.criticality";
    public static final String HOST_OWNER = "host.asset.owner";
    public static final String HOST_ENVIRONMENT = "host.asset.environment";
    public static final String HOST_ZONE = "host.asset.zone";
    public static final String USER_CRITICALITY = "user.asset.criticality";
    public static final String PRIVILEGED = "vigil.identity.privileged";
    public static final String SERVICE_ACCOUNT = "vigil.identity.service_account";
    public static final String DEPARTMENT = "vigil.identity.department";
    public static final String TARGET_CRITICALITY = "user.target.asset.criticality";
    public static final String TARGET_PRIVILEGED = "vigil.identity.target.privileged";
    public static final String TARGET_SERVICE_ACCOUNT = "vigil.identity.target.service_account";
    public static final String TARGET_DEPARTMENT = "vigil.identity.target.department";

    private AssetFields() {}

    static void host(Host h, Map<String, String> fields) {
        if (h.criticality() != null) {
            fields.put(HOST_CRITICALITY, h.criticality().value());
        }
        put(fields, HOST_OWNER, h.owner());
        put(fields, HOST_ENVIRONMENT, h.environment());
        put(fields, HOST_ZONE, h.zone());
    }

    static void user(Identity id, Map<String, String> fields) {
        if (id.criticality() != null) {
            fields.put(USER_CRITICALITY, id.criticality().value());
        }
        fields.put(PRIVILEGED, String.valueOf(id.privileged()));
        fields.put(SERVICE_ACCOUNT, String.valueOf(id.serviceAccount()));
        put(fields, DEPARTMENT, id.department());
    }

    static void target(Identity id, Map<String, String> fields) {
        if (id.criticality() != null) {
            fields.put(TARGET_CRITICALITY, id.criticality().value());
        }
        fields.put(TARGET_PRIVILEGED, String.valueOf(id.privileged()));
        fields.put(TARGET_SERVICE_ACCOUNT, String.valueOf(id.serviceAccount()));
        put(fields, TARGET_DEPARTMENT, id.department());
    }

    private static void put(Map<String, String> fields, String name, String value) {
        if (value != null) {
            fields.put(name, value);
        }
    }
}
