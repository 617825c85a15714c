#!/usr/bin/perl
# The parts of the @av_scanners entry that do not need amavis: the socket
# setting, read at scan time, and the refusal of per-file templates.
use strict;
use warnings;
use FindBin ();
use lib "$FindBin::Bin/lib";
use Test::More;
use Peekaboo::PluginUnderTest;

Peekaboo::PluginUnderTest::load();
my $socket_of_entry = \&Peekaboo::AmavisPlugin::socket_of_entry;

{
  no warnings 'once';
  is($Amavis::Conf::peekaboo_socket, '/run/peekaboo/peekaboo.sock', 'default socket');
  is($socket_of_entry->(undef), '/run/peekaboo/peekaboo.sock', 'an entry without socket uses $peekaboo_socket');
  is($socket_of_entry->(\$Amavis::Conf::peekaboo_socket), '/run/peekaboo/peekaboo.sock', 'reference to the setting');
  $Amavis::Conf::peekaboo_socket = '127.0.0.1:8100';
  is($socket_of_entry->(\$Amavis::Conf::peekaboo_socket), '127.0.0.1:8100', 'read when the scan runs, not when the file is read');
  is($socket_of_entry->(undef), '127.0.0.1:8100', 'also without a socket in the entry');
  is($socket_of_entry->('/other.sock'), '/other.sock', 'a string in the entry');
  $Amavis::Conf::peekaboo_socket = '';
  ok(!eval { $socket_of_entry->(undef); 1 }, 'an empty setting is an error');
  like($@, qr/no Peekaboo socket configured/, 'naming the setting');
}

ok(!eval { Peekaboo::AmavisPlugin::ask_peekaboo(['p001'], {}, '/tmp/x', 'Peekaboo', undef, ["*\n", '/s']); 1 },
   'a per-file template is refused');
like($@, qr/query template must be \{\}/, 'with a message saying what to use');

done_testing();
