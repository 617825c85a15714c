package org.peekaboo.sample;

/**
 * Which file a path leads to: device and inode, the same for every name and descriptor of it.
 * A request that names one file several times has it read once under this key.
 */
public record FileKey(long device, long inode) {
}
