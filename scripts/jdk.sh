# Sourced by the launcher and the build scripts: finds a JDK 21 or newer and exports
# JAVA_HOME. The machine's default java may be older (Debian 12 ships 17).

peekaboo_java_major() {
    # Prints the major version of the java binary $1, or nothing. Every JDK and JRE since 9
    # describes itself in $JAVA_HOME/release (JAVA_VERSION="21.0.8"); reading it costs
    # nothing, while asking the binary starts a JVM (tens of milliseconds per candidate,
    # before every command of the launcher).
    local line
    if [ -r "${1%/bin/java}/release" ]; then
        while IFS= read -r line; do
            case $line in
                JAVA_VERSION=\"[0-9]*)
                    line=${line#JAVA_VERSION=\"}
                    echo "${line%%[!0-9]*}"
                    return
                    ;;
            esac
        done < "${1%/bin/java}/release"
    fi
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

peekaboo_find_jdk() {
    # $1 = "jdk" to require javac (building), "jre" for running only.
    local need=$1 candidate major best="" best_major=0
    for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
        [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
        [ "$need" = jre ] || [ -x "$candidate/bin/javac" ] || continue
        major=$(peekaboo_java_major "$candidate/bin/java")
        [ -n "$major" ] && [ "$major" -ge 21 ] || continue
        if [ "$major" -gt "$best_major" ]; then
            best=$candidate
            best_major=$major
        fi
    done
    if [ -z "$best" ]; then
        return 1
    fi
    export JAVA_HOME=$best
    return 0
}

peekaboo_jdk_can_jlink() {
    # Whether $JAVA_HOME's jlink can make the Debian package's runtime: it needs the JDK's jmods
    # (Debian ships them apart, in openjdk-<N>-jmods) or a JDK whose own image is linkable
    # (Temurin 24 and later). Only build scripts ask; it links java.base once (about a second).
    local out status
    [ -x "$JAVA_HOME/bin/jlink" ] || return 1
    [ -d "$JAVA_HOME/jmods" ] && return 0
    out=$(mktemp -d)
    "$JAVA_HOME/bin/jlink" --add-modules java.base --output "$out/image" >/dev/null 2>&1 && status=0 || status=1
    rm -rf "$out"
    return "$status"
}

peekaboo_no_jdk_message() {
    cat >&2 <<'MSG'
Peekaboo needs Java 21 or newer, and none was found (looked at $JAVA_HOME, /usr/lib/jvm/*,
/opt/java/* and the java on PATH). Install one, for example:
  Debian 13 / Ubuntu 24.04:  apt-get install openjdk-21-jdk-headless
  Debian 12:                 Temurin 21 from https://adoptium.net (package temurin-21-jdk)
then run this command again, or set JAVA_HOME to its directory.
MSG
}
