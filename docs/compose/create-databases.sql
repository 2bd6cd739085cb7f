-- one database per service; none reads another's
create database backbus_scheduler;
create database backbus_agent;
create database backbus_uploader;
create database backbus_retention;
create database backbus_notifier;
create database app;
